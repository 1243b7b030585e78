/**
 * A fake `corepack` for the dashboard build tests: answers `corepack yarn install ...` and
 * `corepack yarn build` in a webui/ directory the way yarn and vite do (including yarn's
 * YN0035 report of a locked package the registry does not serve), and logs each call with
 * the environment the build relies on.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeCorepackOptions {
  /** `install --immutable` reports this package (name@npm:version) as not found. */
  lockedMissing?: string;
  /** Every install fails with a network error. */
  failInstall?: boolean;
  failBuild?: boolean;
}

const made: string[] = [];

/** Removes every directory the fakes here made (call in an after hook). */
export function removeFakeCorepackDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface FakeCorepack {
  binDir: string;
  log: string;
}

export function makeFakeCorepack(options: FakeCorepackOptions = {}): FakeCorepack {
  const root = mkdtempSync(join(tmpdir(), 'lb-dev-fake-corepack-'));
  made.push(root);
  const binDir = join(root, 'bin');
  const log = join(root, 'calls.log');
  mkdirSync(binDir);
  const immutableInstall = options.lockedMissing
    ? `echo "➤ YN0035: │ ${options.lockedMissing}: Package not found"; echo "➤ YN0035: │   Response Code: 404 (Not Found)"; echo "➤ YN0000: · Failed with errors in 9s"; exit 1`
    : 'mkdir -p node_modules';
  const script = `#!/bin/sh
echo "$PWD $* registry=$COREPACK_NPM_REGISTRY yarnRegistry=$YARN_NPM_REGISTRY_SERVER globalCache=$YARN_ENABLE_GLOBAL_CACHE api=$VITE_APP_BASE_API_URL" >> '${log}'
[ "$1" = yarn ] || { echo "fake corepack: unexpected $*" >&2; exit 2; }
case "$2 $3" in
  "install --immutable") ${options.failInstall ? 'echo "➤ YN0001: │ RequestError: connect ECONNREFUSED"; exit 1' : immutableInstall} ;;
  "install --no-immutable") ${options.failInstall ? 'exit 1' : 'mkdir -p node_modules'} ;;
  "build ")
    rm -rf static; mkdir -p static/assets
    ${options.failBuild ? 'echo "error during build: [vite]: Rollup failed to resolve import" >&2; exit 1' : ''}
    echo '<html><head><script type="module" crossorigin src="./assets/index-abc.js"></script></head></html>' > static/index.html
    echo 'console.log(1)' > static/assets/index-abc.js ;;
  *) echo "fake corepack: unexpected $*" >&2; exit 2 ;;
esac
`;
  writeFileSync(join(binDir, 'corepack'), script);
  chmodSync(join(binDir, 'corepack'), 0o755);
  return { binDir, log };
}

/** A writable module copy holding webui/ as Traefik ships it: package.json, lockfile, placeholder static/. */
export function makeWebuiModule(dependencies: Record<string, string> = { '@traefik-labs/faency': '12.3.3', react: '^18.2.0' }): string {
  const moduleDir = mkdtempSync(join(tmpdir(), 'lb-dev-webui-module-'));
  made.push(moduleDir);
  mkdirSync(join(moduleDir, 'webui', 'static'), { recursive: true });
  writeFileSync(
    join(moduleDir, 'webui', 'package.json'),
    `${JSON.stringify({ name: 'traefik-proxy-dashboard', packageManager: 'yarn@4.9.1', dependencies }, null, 2)}\n`,
  );
  writeFileSync(join(moduleDir, 'webui', 'yarn.lock'), '__metadata:\n  version: 8\n');
  writeFileSync(join(moduleDir, 'webui', 'static', 'DONT-EDIT-FILES-IN-THIS-DIRECTORY.md'), 'For more information see `webui/readme.md`');
  return moduleDir;
}

/**
 * A fake `go` for the build-from-source tests: answers `go version`, `go mod download -json`
 * (pointing at a read-only copy of a tiny "module") and `go build -o OUT` (writing a fake
 * traefik to OUT), and logs each call's arguments, cwd and CGO_ENABLED. With `webui`, the module
 * also holds Traefik's webui/ sources (fake-corepack.ts builds them) and `go build` logs whether
 * it found a built dashboard to embed.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeWebuiModule } from './fake-corepack.js';
import { fakeTraefikScript } from './release-fixture.js';

export interface FakeGo {
  binDir: string;
  log: string;
  moduleDir: string;
}

export function makeFakeGo(options: { goVersion?: string; failBuild?: boolean; webui?: boolean } = {}): FakeGo {
  const root = mkdtempSync(join(tmpdir(), 'lb-dev-fake-go-'));
  const binDir = join(root, 'bin');
  const moduleDir = join(root, 'mod', 'traefik@v3.6.25');
  const log = join(root, 'calls.log');
  mkdirSync(binDir, { recursive: true });
  mkdirSync(join(moduleDir, 'cmd', 'traefik'), { recursive: true });
  writeFileSync(join(moduleDir, 'go.mod'), 'module github.com/traefik/traefik/v3\n\ngo 1.26.0\n');
  writeFileSync(join(moduleDir, 'cmd', 'traefik', 'main.go'), 'package main\n');
  writeFileSync(join(root, 'traefik.sh'), fakeTraefikScript());
  if (options.webui) cpSync(join(makeWebuiModule(), 'webui'), join(moduleDir, 'webui'), { recursive: true });
  // Like the module cache: read-only files and directories.
  for (const path of [join(moduleDir, 'go.mod'), join(moduleDir, 'cmd', 'traefik', 'main.go')]) chmodSync(path, 0o444);
  for (const path of [join(moduleDir, 'cmd', 'traefik'), join(moduleDir, 'cmd'), moduleDir]) chmodSync(path, 0o555);
  const go = `#!/bin/sh
echo "$PWD CGO_ENABLED=$CGO_ENABLED $*" >> '${log}'
case "$1" in
  version) echo "go version ${options.goVersion ?? 'go1.26.1'} linux/amd64" ;;
  mod) printf '{\\n\\t"Path": "github.com/traefik/traefik/v3",\\n\\t"Dir": "%s"\\n}\\n' '${moduleDir}' ;;
  build)
    ${options.failBuild ? `echo "cmd/traefik/main.go:1:1: expected 'package', found 'EOF'" >&2; exit 1` : ''}
    ${options.webui ? `[ -f webui/static/index.html ] && echo "embeds webui/static/index.html" >> '${log}'` : ''}
    while [ $# -gt 0 ]; do if [ "$1" = -o ]; then cp '${join(root, 'traefik.sh')}' "$2"; fi; shift; done ;;
  *) echo "fake go: unexpected $*" >&2; exit 2 ;;
esac
`;
  writeFileSync(join(binDir, 'go'), go);
  chmodSync(join(binDir, 'go'), 0o755);
  return { binDir, log, moduleDir };
}

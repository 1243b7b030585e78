/**
 * Package managers as users run lb-dev's script with them: npm (Node's own) and yarn 1, the
 * classic yarn many projects still use, installed from npm into a cache dir once (never a
 * project dependency). A workspace gets the package.json `init` writes and a node_modules/.bin
 * entry for lb-dev, as an installed lb-dev would have.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BUILT_CLI } from './lb-dev/cli.js';

const YARN1_PREFIX = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lb-dev', 'test', 'yarn1');
const YARN1_BIN = join(YARN1_PREFIX, 'node_modules', 'yarn', 'bin', 'yarn.js');

/** yarn 1's entry script, installed on first use (`npm install --prefix <cache> yarn@1`). */
export function yarn1(): string {
  if (!existsSync(YARN1_BIN)) {
    execFileSync('npm', ['install', '--prefix', YARN1_PREFIX, '--no-audit', '--no-fund', 'yarn@1'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return YARN1_BIN;
}

/** How each package manager runs the `lb:dev` script, extra arguments passed on to it. */
export function scriptRunners(): Record<'npm' | 'yarn 1', { command: string; args: string[] }> {
  return {
    npm: { command: 'npm', args: ['run', 'lb:dev', '--'] },
    'yarn 1': { command: process.execPath, args: [yarn1(), 'lb:dev'] },
  };
}

/** Writes package.json with `scripts` and node_modules/.bin/lb-dev (the built CLI) into `dir`. */
export async function writeProject(dir: string, scripts: Record<string, string>): Promise<void> {
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'lb-dev-script-test', version: '1.0.0', private: true, scripts }, null, 2)}\n`);
  const bin = join(dir, 'node_modules', '.bin');
  await mkdir(bin, { recursive: true });
  // What npm's bin link does: an executable that runs the CLI (a wrapper here: dist/ is not +x).
  await writeFile(join(bin, 'lb-dev'), `#!/bin/sh\nexec "${process.execPath}" "${BUILT_CLI}" "$@"\n`);
  await chmod(join(bin, 'lb-dev'), 0o755);
}

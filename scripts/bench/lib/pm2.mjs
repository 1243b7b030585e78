// PM2 6 supervising the same processes, for comparison only: installed into a cache dir with
// `npm install --prefix` (never a project dependency), run with PM2_HOME in a temp dir, and
// `pm2 kill`ed at the end. Its God daemon's pid is in $PM2_HOME/pm2.pid.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cleanup.mjs';

const PREFIX = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lb-dev', 'bench', 'pm2');
const PM2_BIN = join(PREFIX, 'node_modules', 'pm2', 'bin', 'pm2');

/** Installs pm2@6 into the cache dir once; returns its version. */
export function ensurePm2() {
  if (!existsSync(PM2_BIN)) {
    execFileSync('npm', ['install', '--prefix', PREFIX, '--no-audit', '--no-fund', 'pm2@6'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return JSON.parse(readFileSync(join(PREFIX, 'node_modules', 'pm2', 'package.json'), 'utf8')).version;
}

/** Starts `apps` (PM2 ecosystem entries) under a fresh daemon; returns its pid and a stop(). */
export async function startPm2(apps) {
  const home = mkdtempSync(join(tmpdir(), 'lb-dev-bench-pm2-'));
  const env = { ...process.env, PM2_HOME: home };
  const pm2 = (...args) =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, [PM2_BIN, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`pm2 ${args.join(' ')}: ${stderr || error.message}`));
        else resolve(stdout);
      });
    });
  const stop = onCleanup(`pm2 daemon (${home})`, async () => {
    await pm2('kill').catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  });
  const ecosystem = join(home, 'ecosystem.config.cjs');
  writeFileSync(ecosystem, `module.exports = ${JSON.stringify({ apps })};\n`);
  await pm2('start', ecosystem);
  const daemonPid = Number(readFileSync(join(home, 'pm2.pid'), 'utf8').trim());
  return { home, daemonPid, stop, list: async () => JSON.parse(await pm2('jlist')) };
}

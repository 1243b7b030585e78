// Every client command without a running `up`: exit 3, NOT_RUNNING, and a message that says
// which state dir was looked at and how to start lb-dev.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type CliResult, runCli } from '../../helpers/lb-dev/index.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const COMMANDS: string[][] = [
  ['status'],
  ['status', '--json'],
  ['status', '--watch'],
  ['logs'],
  ['logs', '-f', '2'],
  ['kill', '2'],
  ['kill', '--random'],
  ['stop', '2'],
  ['start', '2'],
  ['restart', '2'],
  ['restart', '--all', '--rolling'],
  ['scale', '2'],
  ['chaos', '--duration', '1s'],
  ['down'],
];

/** Runs `jobs` with at most `limit` at a time (each is a Node + tsx start-up). */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

function check(args: string[], result: CliResult, stateDir: string): void {
  const what = `lb-dev ${args.join(' ')}: ${result.stderr}`;
  assert.equal(result.code, 3, what);
  assert.match(result.stderr, /\[NOT_RUNNING\]/, what);
  assert.ok(result.stderr.includes(stateDir), `names the state dir: ${what}`);
  assert.match(result.stderr, /fix: Start lb-dev first with `lb-dev up`/, what);
  assert.ok(result.ms < 15_000, `${what} answered in ${result.ms}ms`);
}

test('every client command exits 3 NOT_RUNNING when no up runs (missing state dir)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-nr-'));
  dirs.push(dir);
  const stateDir = join(dir, 'nothing-here');
  const results = await pool(
    COMMANDS.map((args) => () => runCli([...args, '--state-dir', stateDir], { cwd: dir })),
    3,
  );
  for (const [i, args] of COMMANDS.entries()) check(args, results[i]!, stateDir);
  assert.equal(existsSync(stateDir), false, 'asking does not create the state dir');
});

test('a stale socket left by a killed up also reads as NOT_RUNNING', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-nr-'));
  dirs.push(dir);
  const stateDir = join(dir, 'state');
  await mkdir(stateDir);
  const socket = join(stateDir, 'lb-dev.sock');
  const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => holder.stdout!.once('data', resolve));
  holder.kill('SIGKILL');
  await new Promise((resolve) => holder.once('exit', resolve));
  assert.ok(existsSync(socket));
  const picked = [['status'], ['kill', '2'], ['down']];
  const results = await pool(
    picked.map((args) => () => runCli([...args, '--state-dir', stateDir], { cwd: dir })),
    3,
  );
  picked.forEach((args, i) => {
    check(args, results[i]!, stateDir);
    assert.match(results[i]!.stderr, /ECONNREFUSED/);
  });
});

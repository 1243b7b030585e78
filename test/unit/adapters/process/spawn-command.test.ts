// spawnCommand + stop/signal against real process trees (test/fixtures): after a stop nothing
// of the tree may remain, whatever it does with SIGTERM. kill-tree.test.ts tests the kill
// functions themselves (reapOrphans, groupLive, both process tables).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import getPort from 'get-port';
import { groupLive } from '../../../../src/adapters/process/kill-tree.js';
import { type RunningProcess, spawnCommand } from '../../../../src/adapters/process/spawn-command.js';
import { ROOT, fixture, killHard, nodeFixture, pidAlive, waitUntil } from '../../../helpers/lb-dev/index.js';

const started: RunningProcess[] = [];
const extraPids = new Set<number>();
after(() => {
  for (const p of started) if (p.pid > 0) killHard(p.pid);
  for (const pid of extraPids) killHard(pid);
});

/** Live members of process group `pgid` (Linux /proc; zombies excluded). */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      // gone
    }
  }
  return members;
}

async function start(command: string, extraEnv: Record<string, string> = {}) {
  const port = await getPort({ host: '127.0.0.1' });
  let output = '';
  const child = spawnCommand({
    command,
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', PORT: String(port), LB_DEV_INSTANCE: 'test', ...extraEnv },
    onOutput: (_stream, chunk) => {
      output += chunk.toString('utf8');
    },
  });
  started.push(child);
  await waitUntil(() => output.includes(`listening on ${port}`), { timeoutMs: 10_000, what: () => `${command} listening; output: ${output}` });
  return { child, port, output: () => output };
}

const grandchildPids = (output: string) => [...output.matchAll(/GRANDCHILD (\d+)/g)].map((m) => Number(m[1]));

/**
 * Has `pid` finished booting with its SIGTERM handler in place: asleep (idle) with SigCgt bit
 * 15 set? Node sets and clears handlers while it boots, so one look is not enough.
 */
function idleCatchingSigterm(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mask = /SigCgt:\s*([0-9a-f]+)/.exec(status)?.[1] ?? '0';
    return /State:\s*S/.test(status) && (BigInt(`0x${mask}`) & (1n << 14n)) !== 0n;
  } catch {
    return false;
  }
}

async function settledCatching(pid: number): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    if (!idleCatchingSigterm(pid)) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

const waitCatching = (pids: number[]) =>
  waitUntil(async () => (await Promise.all(pids.map(settledCatching))).every(Boolean), { timeoutMs: 10_000, what: `SIGTERM handlers in ${pids.join(', ')}` });

test('exec makes the app itself the group leader (no shell in between)', async () => {
  const { child } = await start(nodeFixture('http-ok.mjs'));
  assert.match(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8'), /^node\0.*http-ok\.mjs/);
  assert.deepEqual(groupMembers(child.pid), [child.pid]);
  await child.stop(1_000);
  assert.equal(pidAlive(child.pid), false);
  const exit = await child.exited;
  assert.equal(exit.signal, 'SIGTERM');
});

test('stop(grace) ends a tree with grandchildren that ignore SIGTERM and hold the pipes', async (t) => {
  const { child, output } = await start(nodeFixture('grandchildren.mjs'), { GRANDCHILD_STDIO: 'inherit' });
  const kids = grandchildPids(output());
  assert.equal(kids.length, 2);
  for (const pid of kids) extraPids.add(pid);
  assert.deepEqual(groupMembers(child.pid).sort(), [child.pid, ...kids].sort(), "grandchildren are in the leader's group");
  await waitCatching(kids);

  const began = Date.now();
  await child.stop(500);
  const took = Date.now() - began;
  t.diagnostic(`stop(500) of grandchildren.mjs took ${took}ms`);
  for (const pid of [child.pid, ...kids]) assert.equal(pidAlive(pid), false, `pid ${pid} still alive after stop`);
  assert.equal(await groupLive(child.pid), false);
  assert.ok(took >= 450, `the grandchildren ignore SIGTERM, so stop waits for the grace period (took ${took}ms)`);
  assert.ok(took < 8_000, `stop is bounded (took ${took}ms)`);
});

test('stop(grace) ends a yarn-like wrapper that ignores TERM around a child that ignores SIGTERM', async (t) => {
  const { child, output } = await start(`${fixture('wrapper.sh')} ${fixture('ignore-sigterm.mjs')}`);
  const members = groupMembers(child.pid);
  assert.equal(members.length, 2, `wrapper.sh + node: ${members.join(', ')}`);
  assert.match(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8'), /wrapper\.sh/);
  for (const pid of members) extraPids.add(pid);
  await waitCatching(members);

  const began = Date.now();
  await child.stop(400);
  const took = Date.now() - began;
  t.diagnostic(`stop(400) of wrapper.sh -> ignore-sigterm.mjs took ${took}ms`);
  for (const pid of members) assert.equal(pidAlive(pid), false, `pid ${pid} still alive after stop`);
  assert.ok(took >= 350, `both ignore SIGTERM: SIGKILL only after the grace (took ${took}ms)`);
  assert.match(output(), /ignore-sigterm: got SIGTERM, ignoring it/, 'SIGTERM reached the node child too');
  assert.equal((await child.exited).signal, 'SIGKILL');
});

test('stop() of a tree that is frozen (SIGSTOP) still ends it', async () => {
  const { child } = await start(nodeFixture('http-ok.mjs'));
  await child.signal('SIGSTOP');
  await waitUntil(() => readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.startsWith('T'), { what: 'stopped state' });
  await child.stop(2_000);
  assert.equal(pidAlive(child.pid), false);
  assert.equal((await child.exited).signal, 'SIGTERM', 'SIGCONT let it act on SIGTERM within the grace');
});

test('signal() reaches every process of the tree exactly once, including a child in a group of its own', async (t) => {
  // A second SIGTERM cuts a graceful shutdown short (`process.once('SIGTERM', ...)`, or
  // "press Ctrl-C again to force"): the group signal and the tree walk must not both hit one process.
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-sig-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const script = join(dir, 'graceful.cjs');
  await writeFile(
    script,
    `
const { spawn } = require('node:child_process');
const kid = spawn(process.execPath, ['-e', "let n = 0; process.on('SIGTERM', () => console.log('KID SIGTERM ' + (++n))); setInterval(() => {}, 1000); console.log('KID READY')"], { detached: true, stdio: 'inherit' });
console.log('KID ' + kid.pid);
let n = 0;
process.on('SIGTERM', () => {
  console.log('LEADER SIGTERM ' + (++n));
  if (n === 1) setTimeout(() => { console.log('LEADER graceful done'); process.exit(0); }, 300);
});
require('node:http').createServer().listen(+process.env.PORT, '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
`,
  );
  const { child, output } = await start(`node ${script}`);
  await waitUntil(() => output().includes('KID READY'), { what: 'the detached child' });
  const kid = Number(/KID (\d+)/.exec(output())![1]);
  extraPids.add(kid);
  assert.notDeepEqual(groupMembers(child.pid), [], 'leader group');
  assert.ok(!groupMembers(child.pid).includes(kid), 'the kid is in a group of its own');
  await waitCatching([child.pid, kid]);
  await child.signal('SIGTERM');
  await waitUntil(() => output().includes('LEADER graceful done'), { what: () => `the graceful shutdown to finish; output:\n${output()}` });
  assert.equal((await child.exited).code, 0, `exited by itself after its graceful shutdown:\n${output()}`);
  await waitUntil(() => output().includes('KID SIGTERM 1'), { what: 'the detached child to get SIGTERM' });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(output().match(/LEADER SIGTERM/g)?.length, 1, output());
  assert.equal(output().match(/KID SIGTERM/g)?.length, 1, output());
  killHard(kid);
});

test('stop(grace) also ends a descendant in a group of its own that ignores SIGTERM, after its parent has left', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-sig-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const script = join(dir, 'daemonizes.cjs');
  await writeFile(
    script,
    `
const { spawn } = require('node:child_process');
const kid = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('KID READY')"], { detached: true, stdio: 'inherit' });
console.log('KID ' + kid.pid);
process.on('SIGTERM', () => process.exit(0)); // the parent leaves at once, its kid stays
require('node:http').createServer().listen(+process.env.PORT, '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
`,
  );
  const { child, output } = await start(`node ${script}`);
  await waitUntil(() => output().includes('KID READY'), { what: 'the detached child' });
  const kid = Number(/KID (\d+)/.exec(output())![1]);
  extraPids.add(kid);
  await waitCatching([child.pid, kid]);
  const began = Date.now();
  await child.stop(300);
  t.diagnostic(`stop(300) took ${Date.now() - began}ms`);
  assert.equal((await child.exited).code, 0);
  assert.equal(pidAlive(kid), false, 'the detached descendant is gone after stop()');
});

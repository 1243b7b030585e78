// The lifeline with real processes: a stand-in for `up` (test/fixtures/lifeline-parent.ts)
// registers a process tree; SIGKILLing the stand-in must end the tree within 2 s, a release
// must leave it alone, and the watchdog must exit either way. The idle watchdog is a small sh,
// and what it cleans comes from the record file `up` keeps (lifeline.json).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startLifeline } from '../../../../src/adapters/process/lifeline.js';
import { processTable } from '../../../../src/adapters/process/process-table/choose.js';
import { startTimeOf } from '../../../../src/adapters/process/process-table/process-table.js';
import { TSX, killHard, pidAlive, waitUntil } from '../../../helpers/lb-dev/index.js';
import { type Tree, startParent } from './lifeline-parent.js';

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lbdl-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const everyone = (tree: Tree) => [tree.leader, ...tree.grandchildren];
const recordFile = (dir: string) => join(dir, 'lifeline.json');
/** The record and any copy the reaper claimed (lifeline.json.<pid>). */
const recordFiles = async (dir: string) => (await readdir(dir)).filter((name) => name.startsWith('lifeline.json'));
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

test('the stand-in for `up` is SIGKILLed: within 2 s its whole process tree is gone, and so is the watchdog', async () => {
  const dir = await stateDir();
  const { parent, tree } = await startParent(dir, cleanups);
  assert.ok(everyone(tree).every(pidAlive), 'the tree runs');
  const exited = new Promise((resolve) => parent.once('exit', resolve));
  const killedAt = Date.now();
  parent.kill('SIGKILL');
  await exited;
  await waitUntil(() => !everyone(tree).some(pidAlive), {
    timeoutMs: 2_000,
    what: () => `the tree gone within 2 s; alive: ${everyone(tree).filter(pidAlive)}`,
  });
  const tookMs = Date.now() - killedAt;
  await waitUntil(() => !pidAlive(tree.watchdog), { timeoutMs: 2_000, what: 'the watchdog to exit after its cleanup' });
  const log = await readFile(join(dir, 'lifeline.log'), 'utf8');
  assert.match(log, new RegExp(`SIGKILLed process groups \\[${tree.leader}\\]`), log);
  assert.ok(tookMs < 2_000, `took ${tookMs} ms`);
  assert.deepEqual(await recordFiles(dir), [], 'the reaper deletes the record (its claimed copy) when done');
});

test("the record on disk: owner-only, the recorded group with its leader's start time, rewritten on forget", async () => {
  const dir = await stateDir();
  const { tree } = await startParent(dir, cleanups);
  assert.equal((await stat(recordFile(dir))).mode & 0o777, 0o600);
  // Recorded at once without a start time, then with the leader's once the process table told it.
  const startTime = await startTimeOf(processTable(), tree.leader);
  assert.ok(startTime !== null && Math.abs(Date.now() / 1000 - startTime) < 120, `a start time in seconds since the epoch: ${startTime}`);
  const recorded = () => readFile(recordFile(dir), 'utf8').then((text) => JSON.parse(text) as unknown);
  await waitUntil(async () => JSON.stringify(await recorded()) === JSON.stringify({ groups: [[tree.leader, startTime]], containers: [], usedDocker: false }), {
    timeoutMs: 5_000,
    what: 'the start time in the record',
  });

  const other = await stateDir();
  const lifeline = await startLifeline({ stateDir: other, log: console });
  cleanups.push(() => killHard(lifeline.pid));
  const onDisk = async () => JSON.parse(await readFile(recordFile(other), 'utf8')) as unknown;
  assert.deepEqual(await onDisk(), { groups: [], containers: [], usedDocker: false });
  lifeline.watchGroup(tree.leader);
  lifeline.watchContainer('lb-dev-traefik-0123456789ab');
  const container = 'lb-dev-traefik-0123456789ab';
  assert.deepEqual(await onDisk(), { groups: [[tree.leader, null]], containers: [container], usedDocker: true }, 'recorded at once, unverified');
  const verified = JSON.stringify({ groups: [[tree.leader, startTime]], containers: [container], usedDocker: true });
  await waitUntil(async () => JSON.stringify(await onDisk()) === verified, { timeoutMs: 5_000, what: 'the start time in the record' });
  lifeline.forgetGroup(tree.leader);
  lifeline.forgetContainer('lb-dev-traefik-0123456789ab');
  assert.deepEqual(await onDisk(), { groups: [], containers: [], usedDocker: true });
  assert.throws(() => lifeline.watchContainer('../etc'), /expected a container id/);
  await lifeline.release();
  assert.deepEqual(await recordFiles(other), []);
});

test('a garbled record: the reaper says so, kills nothing it cannot trust, deletes the file and exits', async () => {
  const dir = await stateDir();
  const { parent, tree } = await startParent(dir, cleanups);
  await writeFile(recordFile(dir), '{"groups":[[1,0]],"containers":[],"usedDocker":false}');
  const exited = new Promise((resolve) => parent.once('exit', resolve));
  parent.kill('SIGKILL');
  await exited;
  // Docker, if it answers here, is asked for labelled containers of this state dir: there are none.
  await waitUntil(() => !pidAlive(tree.watchdog), { timeoutMs: 25_000, what: 'the watchdog to exit after its cleanup' });
  const log = await readFile(join(dir, 'lifeline.log'), 'utf8');
  assert.match(log, /no record to trust \(.*lifeline\.json\.\d+: expected a group \[pgid > 1, startTime\], got \[1,0\]\)/, log);
  assert.ok(everyone(tree).every(pidAlive), 'nothing killed on a record it could not trust');
  // Claimed (renamed to lifeline.json.<pid>) before it was read, and that copy deleted: nothing left.
  assert.deepEqual(await recordFiles(dir), []);
  killHard(tree.leader);
  for (const pid of tree.grandchildren) killHard(pid);
});

test('a clean release: the watchdog exits and leaves the tree alone', async () => {
  const dir = await stateDir();
  const { parent, tree } = await startParent(dir, cleanups);
  const exited = new Promise((resolve) => parent.once('exit', resolve));
  parent.stdin!.write('release\n');
  assert.equal(await exited, 0);
  await waitUntil(() => !pidAlive(tree.watchdog), { timeoutMs: 2_000, what: 'the watchdog to exit after a release' });
  assert.ok(everyone(tree).every(pidAlive), 'the released tree was not touched');
  assert.equal(await exists(recordFile(dir)), false, 'a release removes the record');
  assert.doesNotMatch(await readFile(join(dir, 'lifeline.log'), 'utf8'), /cleaning up/);
  killHard(tree.leader);
  for (const pid of tree.grandchildren) killHard(pid);
});

test('a process that only started a lifeline exits on its own: the lifeline holds no event loop', async () => {
  const dir = await stateDir();
  const module = new URL('../../../../src/adapters/process/lifeline.ts', import.meta.url).href;
  const script = `const { startLifeline } = await import(${JSON.stringify(module)});
    const l = await startLifeline({ stateDir: ${JSON.stringify(dir)}, log: console }); console.log(l.pid);`;
  const child = spawn(process.execPath, ['--import', TSX, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => killHard(child.pid!));
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 0);
  const watchdog = Number(out.trim());
  cleanups.push(() => killHard(watchdog));
  await waitUntil(() => !pidAlive(watchdog), { timeoutMs: 2_000, what: 'the watchdog to exit with its parent' });
});

test("the idle watchdog is a small sh (not a Node process), found by the reaper's name and the state dir in its command line", async (t) => {
  const dir = await stateDir();
  const lifeline = await startLifeline({ stateDir: dir, log: console });
  cleanups.push(() => killHard(lifeline.pid));
  assert.equal((await readFile(`/proc/${lifeline.pid}/comm`, 'utf8')).trim(), 'sh');
  const args = (await readFile(`/proc/${lifeline.pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
  assert.ok(
    args.some((arg) => arg.includes('lifeline-watchdog')),
    args.join(' '),
  );
  assert.equal(args.at(-1), dir);
  // Idle: blocked in read(2) on the pipe.
  await waitUntil(async () => (await readFile(`/proc/${lifeline.pid}/stat`, 'utf8')).split(') ')[1]!.startsWith('S'), {
    timeoutMs: 2_000,
    what: 'the switch to block on its pipe',
  });
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${lifeline.pid}/status`, 'utf8'))?.[1]);
  t.diagnostic(`the idle watchdog's RSS: ${rssKb} kB`);
  assert.ok(rssKb > 0 && rssKb < 5 * 1024, `the idle watchdog's RSS: ${rssKb} kB`);
  await lifeline.release();
});

test('the watchdog runs in its own session, and a release resolves once it has exited', async () => {
  const dir = await stateDir();
  const warnings: string[] = [];
  const lifeline = await startLifeline({ stateDir: dir, log: { warn: (m) => warnings.push(m) } });
  cleanups.push(() => killHard(lifeline.pid));
  assert.ok(pidAlive(lifeline.pid));
  // Its own session and group: a group kill aimed at us does not reach it.
  const stat = await readFile(`/proc/${lifeline.pid}/stat`, 'utf8');
  const [pgid, sid] = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .slice(2, 4)
    .map(Number);
  assert.deepEqual([pgid, sid], [lifeline.pid, lifeline.pid]);
  assert.throws(() => lifeline.watchGroup(1), /process group id > 1/);
  await lifeline.release();
  assert.equal(pidAlive(lifeline.pid), false);
  assert.deepEqual(warnings, []);
});

test('a watchdog that dies is reported through log.warn', async () => {
  const dir = await stateDir();
  let resolveWarned: (m: string) => void = () => {};
  const warned = new Promise<string>((resolve) => {
    resolveWarned = resolve;
  });
  const lifeline = await startLifeline({ stateDir: dir, log: { warn: resolveWarned } });
  // The lifeline holds no event loop: something else (here a timer, in `up` its servers) must.
  const keepAlive = setInterval(() => {}, 1_000);
  process.kill(lifeline.pid, 'SIGKILL');
  assert.match(await warned, /lifeline watchdog .* exited \(SIGKILL\)/);
  clearInterval(keepAlive);
  lifeline.watchGroup(process.pid); // writing to a gone watchdog is harmless
});

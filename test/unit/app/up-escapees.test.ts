// Escapees: processes an instance started that left its tree (setsid, and their parent gone, as
// `setsid sh -c 'server &'` leaves them), so that neither the group signal nor the tree walk
// reaches them. They carry the run's marker in their environment (LB_DEV_STATE_DIR, LB_DEV_RUN,
// LB_DEV_INSTANCE), and every way out of a run stops them: `lb-dev stop`, `down`, a SIGKILL of
// `up` (the lifeline's reaper), a crash before the restart (the escapee holds the port), with the
// /proc table and with the portable (ps) one. test/fixtures/setsid-escapee.mjs makes them.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { getText } from '../../helpers/http.js';
import { FAST_GROUP, LbDevRun, cleanupAll, killHard, nodeFixture, pidAlive, waitUntil } from '../../helpers/lb-dev/index.js';

after(cleanupAll);

let runs = 0;
/** A tag no other test's escapees carry in their argv. */
const newTag = () => `tag${process.pid}n${++runs}`;

const groupsFor = (tag: string, instances: number) => ({
  app: { command: nodeFixture('setsid-escapee.mjs', tag), instances, ...FAST_GROUP },
});

/** Live escapees with this tag, by their argv (pgrep -f): what a user would look for. */
function escapees(tag: string): number[] {
  const found = spawnSync('pgrep', ['-f', `setsid-escapee.mjs escapee ${tag}`], { encoding: 'utf8' });
  return found.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => pid !== found.pid && pidAlive(pid));
}

/** The escapee that answers on an instance's port: `escapee <pid> <instance>`. */
async function escapeeOn(port: number | null): Promise<{ pid: number; instance: string }> {
  const { text: body } = await getText(`http://127.0.0.1:${port}/`);
  const match = /^escapee (\d+) (\S+)/.exec(body);
  assert.ok(match, `expected an escapee's answer on port ${port}, got ${JSON.stringify(body)}`);
  return { pid: Number(match[1]), instance: match[2]! };
}

async function startWithEscapees(tag: string, instances: number, env?: NodeJS.ProcessEnv): Promise<LbDevRun> {
  const run = await LbDevRun.start({ groups: groupsFor(tag, instances), ...(env ? { env } : {}) });
  await run.waitAllReady(instances);
  await waitUntil(() => escapees(tag).length === instances, { timeoutMs: 10_000, what: () => `${instances} escapees (${escapees(tag).join(', ')})` });
  return run;
}

async function stopOneLeavesNoEscapee(run: LbDevRun, tag: string): Promise<void> {
  const report = await run.status();
  const one = await escapeeOn(run.instance(report, 'app-1').port);
  const two = await escapeeOn(run.instance(report, 'app-2').port);
  assert.deepEqual([one.instance, two.instance], ['app-1', 'app-2']);
  const stop = await run.cli(['stop', '1']);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(pidAlive(one.pid), false, "app-1's escapee is stopped with it");
  assert.deepEqual(escapees(tag), [two.pid], "app-2's escapee is not app-1's: it runs on");
}

async function sigkillLeavesNoEscapee(run: LbDevRun, tag: string): Promise<void> {
  assert.ok(escapees(tag).length > 0);
  await run.kill();
  const lifelineLog = () => readFileSync(`${run.layout.root}/lifeline.log`, 'utf8');
  await waitUntil(() => escapees(tag).length === 0, {
    timeoutMs: 10_000,
    intervalMs: 20,
    what: () => `no escapee left (${escapees(tag).join(', ')}); lifeline.log:\n${lifelineLog()}`,
  });
  await waitUntil(() => /escaped/.test(lifelineLog()), { timeoutMs: 5_000, what: () => `the reaper to report the escapees: ${lifelineLog()}` });
}

test('`lb-dev stop 1`: the escapee of app-1 is stopped with it, that of app-2 is not', async (t) => {
  const tag = newTag();
  const run = await startWithEscapees(tag, 2);
  t.after(() => run.cleanup());
  await stopOneLeavesNoEscapee(run, tag);
});

test('`lb-dev down`: up exits leaving no escapee', async (t) => {
  const tag = newTag();
  const run = await startWithEscapees(tag, 2);
  t.after(() => run.cleanup());
  const down = await run.cli(['down']);
  assert.equal(down.code, 0, down.stderr);
  assert.equal((await run.waitExit()).code, 0, run.tail());
  assert.deepEqual(escapees(tag), [], 'nothing of the run is left once up has exited');
});

test("SIGKILL of up: the lifeline reaper stops the escapees too, and nothing of a newer run's on the state dir", async (t) => {
  const tag = newTag();
  const run = await startWithEscapees(tag, 2);
  t.after(() => run.cleanup());
  // Stands in for an instance of a newer `up` on the same state dir: another run id.
  const newer = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, LB_DEV_STATE_DIR: run.stateDir, LB_DEV_RUN: 'a-newer-run', LB_DEV_INSTANCE: 'app-1' },
  });
  t.after(() => killHard(newer.pid!));
  await sigkillLeavesNoEscapee(run, tag);
  assert.equal(pidAlive(newer.pid!), true, "the reaper sweeps its own run's marker only");
});

test('a crash (the leader SIGKILLed, the escapee holds the port): the escapee is stopped before the restart, which gets the port', async (t) => {
  const tag = newTag();
  const run = await startWithEscapees(tag, 1);
  t.after(() => run.cleanup());
  const before = run.instance(await run.status(), 'app-1');
  const first = await escapeeOn(before.port);
  process.kill(before.pid!, 'SIGKILL');
  const after = await run.waitFor((r) => {
    const one = run.instance(r, 'app-1');
    return one.restarts >= 1 && one.state === 'ready' && one.pid !== before.pid ? one : null;
  }, 'app-1 restarted and ready');
  assert.equal(after.port, before.port, 'restarted on its port');
  assert.equal(pidAlive(first.pid), false, 'the escapee of the crashed run is gone');
  await waitUntil(async () => (await escapeeOn(after.port)).pid !== first.pid, { timeoutMs: 5_000, what: 'the new escapee to answer on the port' });
  assert.deepEqual(escapees(tag), [(await escapeeOn(after.port)).pid], 'one escapee: the new run holds the port');
});

test('the portable table (ps): stop and SIGKILL of up leave no escapee', async (t) => {
  const tag = newTag();
  const run = await startWithEscapees(tag, 2, { LB_DEV_PROCESS_TABLE: 'portable' });
  t.after(() => run.cleanup());
  await stopOneLeavesNoEscapee(run, tag);
  await sigkillLeavesNoEscapee(run, tag);
});

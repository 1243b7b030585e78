// Instance (src/app/instance.ts) driving real child processes: start/stop at awkward
// moments must never leave a process running that the supervisor no longer tracks.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { markedProcesses, nodeFixture, pidAlive, waitUntil } from '../../helpers/lb-dev/index.js';
import { holdsFor } from '../../helpers/wait.js';

import { killInstanceLeftovers, makeInstance, ready } from './instance-harness.js';

after(killInstanceLeftovers);

// Deliberate pauses: the moment of the spawn a stop() lands in is what these tests vary.
const delays: Array<[string, () => Promise<unknown>]> = [
  ['sync', async () => undefined],
  ['microtask', () => Promise.resolve()],
  ['setImmediate', () => new Promise((r) => setImmediate(r))],
  ['1ms', () => sleep(1)],
  ['3ms', () => sleep(3)],
  ['10ms', () => sleep(10)],
  ['30ms', () => sleep(30)],
];

test('stop() right after start(), at any moment of the spawn, leaves nothing running', async (t) => {
  for (const [label, wait] of delays) {
    for (let round = 0; round < 3; round++) {
      const { instance, marker } = makeInstance();
      instance.start();
      await wait();
      // stop() resolves only once a launch under way has given up: nothing can spawn after it.
      await instance.stop();
      const left = markedProcesses(marker);
      assert.deepEqual(left, [], `stop ${label} after start (round ${round}): processes left ${left.join(', ')}; state ${JSON.stringify(instance.status())}`);
      assert.equal(instance.phase, 'stopped', `stop ${label} after start: phase`);
      assert.equal(instance.pid, null);
      instance.releasePorts();
    }
  }
  t.diagnostic(`${delays.length * 3} start/stop races, none left a process`);
});

test('start(), stop(), start() again in quick succession runs exactly one process, on the port status shows', async () => {
  for (const [label, wait] of delays) {
    const { instance, marker } = makeInstance();
    instance.start();
    await wait();
    void instance.stop();
    instance.start();
    await ready(instance);
    // A launch that lost the race would spawn a second process a little later: the window is the claim.
    const status = instance.status();
    const oneTracked = () => JSON.stringify(markedProcesses(marker)) === JSON.stringify([instance.pid]);
    await holdsFor(oneTracked, 200, () => `${label}: one process, the tracked one (found ${markedProcesses(marker).join(', ')}; pid ${instance.pid})`);
    assert.equal(instance.pid, status.pid);
    const answer = await fetch(`http://127.0.0.1:${status.port}/`);
    assert.equal((await answer.text()).trim(), 'app-1', `${label}: the status port is the one the process listens on`);
    await instance.stop();
    assert.deepEqual(markedProcesses(marker), []);
  }
});

test('a run that answers its probe while it is being stopped is not ready: a stop() then start() waits for the next run', async (t) => {
  // The flake this pins down: start(), stop(), start() while the first process was alive; the first
  // run's probe got an answer from the process on its way out, so whenReady() resolved on a dying process.
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-inst-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const script = join(dir, 'answers-while-stopping.cjs');
  // Listens after 2 s on its own, or at once on SIGTERM (then exits 1 s later): only a dying run answers early.
  await writeFile(
    script,
    `
const server = require('node:http').createServer((q, s) => s.end('ok'));
const listen = () => { if (!server.listening) server.listen(+process.env.PORT, '127.0.0.1'); };
process.once('SIGTERM', () => { console.log('terminating'); listen(); setTimeout(() => process.exit(0), 1000); });
console.log('armed');
setTimeout(listen, 2000);
`,
  );
  const { instance, marker, lines, events, until } = makeInstance({ command: `node ${script}`, stopGracePeriod: '5s' });
  instance.start();
  await until(() => lines.includes('armed')); // its SIGTERM handler is installed
  const first = instance.pid!;
  void instance.stop();
  instance.start();
  await ready(instance);
  assert.notEqual(instance.pid, first, `ready on the run that was stopped; events: ${events.join(' | ')}`);
  assert.equal(pidAlive(first), false, 'the stopped run is gone before the instance is ready');
  await instance.stop();
  assert.deepEqual(markedProcesses(marker), []);
});

test('start -> ready -> stop -> start again -> ready; ports kept; then stop leaves nothing', async () => {
  const { instance, marker } = makeInstance();
  instance.start();
  await ready(instance);
  const first = instance.status();
  assert.equal(first.state, 'ready');
  assert.ok(first.pid && pidAlive(first.pid));
  await instance.stop();
  assert.equal(instance.phase, 'stopped');
  assert.equal(pidAlive(first.pid!), false);
  instance.start();
  await ready(instance);
  const second = instance.status();
  assert.equal(second.port, first.port, 'a restarted instance keeps its port');
  assert.notEqual(second.pid, first.pid);
  await instance.stop();
  assert.deepEqual(markedProcesses(marker), []);
});

test('a crash restarts with backoff; stop() during the backoff cancels the restart', async () => {
  const { instance, marker, until } = makeInstance({ command: nodeFixture('exit-immediately.mjs') });
  instance.start();
  await until(() => instance.phase === 'crashed' && instance.status().crashesInARow >= 2);
  const crashed = instance.status();
  assert.equal(crashed.lastExit?.code, 3);
  assert.ok(crashed.nextRestartAt !== null, 'in the backoff: a restart is scheduled');
  await instance.stop();
  assert.equal(instance.phase, 'stopped');
  assert.equal(instance.status().nextRestartAt, null);
  const restarts = instance.status().restarts;
  // Past the moment the cancelled restart was due (and then some): it did not happen. No event says "nothing happened".
  const stillStopped = () => instance.status().restarts === restarts && instance.phase === 'stopped';
  await holdsFor(stillStopped, crashed.nextRestartAt! - Date.now() + 300, 'no restart after stop');
  assert.deepEqual(markedProcesses(marker), []);
});

test('stop() while a restart is spawning (after orphan reaping) leaves nothing running', async () => {
  // grandchildren.mjs leaves orphans when its leader is killed: the restart waits for them
  // to be reaped, which is another window for a stop to land in.
  const { instance, marker } = makeInstance({ command: nodeFixture('grandchildren.mjs') });
  instance.start();
  await ready(instance);
  for (let round = 0; round < 3; round++) {
    const pid = instance.pid!;
    process.kill(pid, 'SIGKILL'); // only the leader: its children become orphans
    await waitUntil(() => instance.phase !== 'ready', { what: 'the exit to be seen' });
    await waitUntil(() => instance.phase === 'ready', { timeoutMs: 10_000, what: 'ready again' });
  }
  process.kill(instance.pid!, 'SIGKILL');
  await waitUntil(() => instance.phase === 'crashed', { what: 'crashed' });
  await instance.stop();
  assert.deepEqual(markedProcesses(marker), []);
  assert.equal(instance.phase, 'stopped');
});

test('stop(): a child that shuts down gracefully on SIGTERM gets it once, even when its shell parent exits first', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-inst-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const script = join(dir, 'graceful.cjs');
  await writeFile(
    script,
    `
process.once('SIGTERM', () => {
  console.log('graceful start');
  setTimeout(() => { console.log('graceful done'); process.exit(0); }, 400);
});
require('node:http').createServer((q, s) => s.end('ok')).listen(+process.env.PORT, '127.0.0.1', () => console.log('listening'));
`,
  );
  // \`; echo\` keeps sh as the leader: it dies on SIGTERM at once, leaving node mid-shutdown.
  const { instance, marker, lines, until } = makeInstance({ command: `node ${script}; echo after`, stopGracePeriod: '3s' });
  instance.start();
  await ready(instance);
  await until(() => lines.includes('listening')); // its SIGTERM handler is installed before this line
  const began = Date.now();
  await instance.stop();
  t.diagnostic(`stop took ${Date.now() - began}ms; output: ${lines.join(' | ')}`);
  assert.ok(lines.includes('graceful start'), lines.join('\n'));
  assert.ok(lines.includes('graceful done'), `the graceful shutdown ran to its end:\n${lines.join('\n')}`);
  assert.deepEqual(markedProcesses(marker), []);
});

test('whenReady() returns once the instance stops wanting to run (a `start` waiting while a `stop` comes)', async () => {
  const { instance, marker } = makeInstance({ command: nodeFixture('slow-start.mjs'), env: { START_DELAY: '5000' } });
  instance.start();
  await waitUntil(() => instance.pid !== null, { what: 'spawned' });
  const waiting = instance.whenReady();
  await instance.stop();
  await ready(instance, 2_000).catch((error: Error) => assert.fail(`whenReady() still pending after stop(): ${error.message}`));
  await waiting;
  assert.equal(instance.phase, 'stopped');
  await ready(instance, 500); // and at once while it stays stopped
  assert.deepEqual(markedProcesses(marker), []);
});

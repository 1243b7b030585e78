// Instance (src/app/instance.ts) driving real child processes: start/stop at awkward
// moments must never leave a process running that the supervisor no longer tracks.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PortAllocator } from '../../../src/adapters/ports.js';
import { Instance, type InstanceDeps } from '../../../src/app/instance.js';
import { resolveConfig } from '../../../src/core/config/schema.js';
import type { GroupConfig } from '../../../src/core/config/types.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, killHard, markedProcesses, nodeFixture, pidAlive, waitUntil } from '../../helpers/lb-dev/index.js';
import { holdsFor } from '../../helpers/wait.js';

const markers: string[] = [];
after(() => {
  for (const marker of markers) for (const pid of markedProcesses(marker)) killHard(pid);
});

function groupOf(settings: Record<string, unknown>): GroupConfig {
  const config = resolveConfig({
    command: nodeFixture('http-ok.mjs'),
    instances: 1,
    stopGracePeriod: '500ms',
    readiness: { http: { interval: '50ms', timeout: '500ms' } },
    restart: { initialDelay: '100ms', maxDelay: '1s' },
    ...settings,
  }, { source: null, overrides: {}, cwd: ROOT, demoCommand: 'node -e 0' });
  return config.groups[0]!;
}

function makeInstance(settings: Record<string, unknown> = {}, index = 1) {
  // Every process of this instance carries a unique marker, so the test can find all of them.
  const marker = `/lb-dev-instance-test/${randomUUID()}`;
  markers.push(marker);
  const events: string[] = [];
  const lines: string[] = [];
  // Waiters re-checked on every output line and status change: tests wait on these events, not on time.
  const waiters = new Set<() => void>();
  const notify = () => { for (const check of [...waiters]) check(); };
  const deps: InstanceDeps = {
    ports: new PortAllocator('127.0.0.1'),
    logs: {
      append: (_source, _stream, text) => { lines.push(text); notify(); },
      event: (_source, text) => { events.push(text); },
    },
    balancerUrl: 'http://127.0.0.1:1',
    baseEnv: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', LB_DEV_STATE_DIR: marker },
    onRoutesChanged: () => undefined,
    onChange: notify,
  };
  const instance = new Instance(groupOf(settings), index, deps);
  /** Resolves once `predicate` holds: now, or at the output line or status change that makes it so. */
  const until = (predicate: () => boolean): Promise<void> => new Promise((resolve) => {
    const check = () => {
      if (!predicate()) return;
      waiters.delete(check);
      resolve();
    };
    waiters.add(check);
    check();
  });
  return { instance, marker, events, lines, deps, until };
}

/** whenReady() with a deadline: a bug must fail the test, not hang it. */
function ready(instance: Instance, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    instance.whenReady().finally(() => clearTimeout(timer)),
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${instance.name} not ready within ${ms}ms: ${JSON.stringify(instance.status())}`)), ms);
    }),
  ]);
}

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
  await writeFile(script, `
const server = require('node:http').createServer((q, s) => s.end('ok'));
const listen = () => { if (!server.listening) server.listen(+process.env.PORT, '127.0.0.1'); };
process.once('SIGTERM', () => { console.log('terminating'); listen(); setTimeout(() => process.exit(0), 1000); });
console.log('armed');
setTimeout(listen, 2000);
`);
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
  await writeFile(script, `
process.once('SIGTERM', () => {
  console.log('graceful start');
  setTimeout(() => { console.log('graceful done'); process.exit(0); }, 400);
});
require('node:http').createServer((q, s) => s.end('ok')).listen(+process.env.PORT, '127.0.0.1', () => console.log('listening'));
`);
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

// A spawn the OS refuses says why (in the log and in status) and, as it would fail the same
// way again, stops instead of restarting for ever.
for (const [what, settings] of [
  ['a missing working directory', { cwd: '/nonexistent/lb-dev-test-cwd' }],
  ['a NUL byte in the command', { command: 'node -e 0 \u0000' }],
  ['a 1 MB command line (E2BIG)', { command: `node -e 0 ${'x'.repeat(1 << 20)}` }],
] as const) {
  test(`a failed spawn (${what}) is logged and shown in status, and not restarted`, async () => {
    const { instance, events } = makeInstance(settings);
    instance.start();
    await ready(instance);
    const status = instance.status();
    assert.equal(status.state, 'stopped');
    assert.equal(status.desired, 'stopped');
    assert.match(status.lastExit?.reason ?? '', /^(ENOENT|E2BIG|ERR_INVALID_ARG_VALUE)\b/);
    const said = events.find((e) => e.startsWith('could not start'));
    assert.ok(said?.includes(status.lastExit!.reason!) && said.includes('not restarting'), events.join('\n'));
    assert.ok(events.every((e) => e.length < 1_000), 'no event line carries the whole command');
    assert.equal(status.restarts, 0);
  });
}

test('an app that ignores $PORT: the start timeout says nothing listens on its port, and where its processes listen', async () => {
  const { instance, events, lines, until } = makeInstance({
    command: `node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => console.log('on', s.address().port))"`,
    readiness: { http: { interval: '50ms', timeout: '500ms' }, startTimeout: '1s' },
    restart: { enabled: false },
  });
  instance.start();
  await until(() => lines.some((l) => l.startsWith('on ')));
  const ownPort = lines.find((l) => l.startsWith('on '))!.slice(3);
  await until(() => instance.phase === 'stopped');
  const said = events.find((e) => e.startsWith('not ready within the start timeout'));
  assert.ok(said, events.join('\n'));
  assert.match(said, new RegExp(`nothing listens on its port ${instance.status().port} \\(\\$PORT\\); its processes listen on ${ownPort} instead`));
});

test('a line still being written when the process exits is not cut in two: lines end where the pipe ends', async () => {
  // The leader prints half a line and exits; a descendant in a session of its own (the group
  // reaping does not reach it) still holds the pipe and finishes the line after the exit.
  const tail = `setTimeout(() => process.stdout.write(' second half\\nafter\\n'), 300)`;
  const script = `process.stdout.write('first half'); require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(tail)}], { detached: true, stdio: ['ignore', 'inherit', 'ignore'] }).unref();`;
  const { instance, lines, until } = makeInstance({
    command: `node -e ${JSON.stringify(script)}`,
    readiness: { http: false, logPattern: 'never printed' },
    restart: { enabled: false },
  });
  instance.start();
  await until(() => lines.includes('after'));
  assert.deepEqual(lines, ['first half second half', 'after']);
  await instance.stop();
  instance.releasePorts();
});

test('a route change tells when the exit that caused it was seen; joining and draining tell none', async () => {
  const { instance, deps, until } = makeInstance();
  const changes: Array<{ inBalancer: boolean; exitSeenAt: number | null }> = [];
  deps.onRoutesChanged = (changed, exitSeenAt) => changes.push({ inBalancer: changed.takesTraffic, exitSeenAt });
  instance.start();
  await ready(instance);
  instance.setDrained(true);
  instance.setDrained(false);
  const killedAt = Date.now();
  await instance.signal('SIGKILL');
  await until(() => instance.phase !== 'ready');
  assert.deepEqual(changes.slice(0, 3), [{ inBalancer: true, exitSeenAt: null }, { inBalancer: false, exitSeenAt: null }, { inBalancer: true, exitSeenAt: null }]);
  const exit = changes[3];
  assert.equal(exit?.inBalancer, false);
  assert.ok(exit.exitSeenAt !== null && exit.exitSeenAt >= killedAt && exit.exitSeenAt <= Date.now(), `exit seen at ${exit.exitSeenAt}`);
  await instance.stop();
});

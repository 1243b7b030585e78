// The control methods (src/app/operations.ts) called as the control socket calls them (params checked, then the typed method), against a Supervisor over real
// child processes: what `lb-dev kill/stop/start/restart/scale/logs` do to a running `up`.
import assert from 'node:assert/strict';
import { after, describe, it, test } from 'node:test';
import { createOperations, parseSignal } from '../../../src/app/operations.js';
import type { StatusReport } from '../../../src/app/status-report.js';
import type { Supervisor } from '../../../src/app/supervisor.js';
import { operationRoutes } from '../../../src/control/dispatch.js';
import type { RequestContext } from '../../../src/control/server.js';
import { LbDevError } from '../../../src/core/errors.js';
import { markedProcesses } from '../../helpers/lb-dev/index.js';
import { allRouted, cleanupSupervisors, makeOperations, until } from '../../helpers/supervisor.js';

after(cleanupSupervisors);

function request(params: Record<string, unknown> = {}): RequestContext & { sent: unknown[] } {
  const sent: unknown[] = [];
  return {
    params,
    sent,
    send: (data) => {
      sent.push(data);
      return true;
    },
    closed: new Promise(() => {}),
    buffered: () => 0,
  };
}

const setUp = makeOperations;

describe('parseSignal', () => {
  const rows: Array<[unknown, string]> = [
    [undefined, 'SIGKILL'],
    ['term', 'SIGTERM'],
    ['SIGSTOP', 'SIGSTOP'],
    ['usr1', 'SIGUSR1'],
  ];
  for (const [given, expected] of rows) it(`${JSON.stringify(given)} -> ${expected}`, () => assert.equal(parseSignal(given, 'SIGKILL'), expected));
  it('names what it expected and what it got', () =>
    assert.throws(() => parseSignal('SIGNOPE', 'SIGKILL'), /expected a signal such as SIGKILL.*got "SIGNOPE"/));
});

test('every method says "still starting" before the supervisor exists', async () => {
  const handlers = operationRoutes(
    createOperations({
      supervisor: () => null as Supervisor | null,
      logs: null as never,
      status: () => ({}) as StatusReport,
      maxLogFiles: 1,
      requestShutdown: () => undefined,
    }),
  );
  await assert.rejects(handlers.stop!(request({ instance: '1' })), (error: unknown) => error instanceof LbDevError && error.code === 'NOT_RUNNING');
});

test('kill sends the signal to the tree (the supervisor restarts it); stop keeps it stopped; start brings it back', async (t) => {
  const { supervisor, handlers, marker, logs } = await setUp(t, 2);
  supervisor.startAll();
  await allRouted(supervisor);
  const first = supervisor.find('1');
  const pid = first.pid;

  const killed = await handlers.kill!(request({ instance: '1', signal: 'SIGKILL' }));
  assert.deepEqual(killed, { instance: 'app-1', pid, signal: 'SIGKILL' });
  await assert.rejects(handlers.kill!(request({ instance: 'app-9' })), /no instance named "app-9"/);
  await until(supervisor, () => first.phase !== 'ready');
  await first.whenReady();
  assert.notEqual(first.pid, pid, 'restarted with a new process');

  const stopped = await handlers.stop!(request({ instance: 'app-1' }));
  assert.deepEqual(stopped, { instance: 'app-1', state: 'stopped' });
  assert.deepEqual(supervisor.routes.status.written, ['app-2']);
  const sentBefore = logs.recent(['app-1'], 1000).filter((l) => /sent by/.test(l.text)).length;
  await assert.rejects(
    handlers.kill!(request({ instance: '1' })),
    (error: unknown) =>
      error instanceof LbDevError &&
      error.code === 'INSTANCE_NOT_RUNNING' &&
      /app-1 is not running \(state stopped\): no signal sent; `lb-dev start 1`/.test(error.message),
  );
  assert.equal(logs.recent(['app-1'], 1000).filter((l) => /sent by/.test(l.text)).length, sentBefore, 'nothing sent, nothing logged');

  const started = await handlers.start!(request({ instance: '1' }));
  assert.deepEqual(started, { instance: 'app-1', state: 'ready' });
  await supervisor.routes.flush();
  assert.deepEqual(supervisor.routes.status.written, ['app-1', 'app-2'], 'stop left it admitted: back in once ready');
  await supervisor.stopAll();
  assert.deepEqual(markedProcesses(marker), []);
});

test('start of an instance whose working directory is gone answers stopped, with the reason', async (t) => {
  const { supervisor, handlers } = await setUp(t, 1);
  const instance = supervisor.find('1');
  // As when the directory is removed while `up` runs: the spawn fails with ENOENT every time.
  (instance.group as { cwd: string }).cwd = '/nonexistent/lb-dev-ops-test';
  const started = await handlers.start!(request({ instance: '1' }));
  assert.deepEqual(started, {
    instance: 'app-1',
    state: 'stopped',
    reason: 'could not start: ENOENT: the working directory /nonexistent/lb-dev-ops-test does not exist (spawn /bin/sh ENOENT)',
  });
  await supervisor.stopAll();
});

test('restart --rolling: each instance leaves the routes, restarts, and is back before the next one goes', async (t) => {
  const { supervisor, handlers, marker } = await setUp(t, 2);
  supervisor.startAll();
  await allRouted(supervisor);
  const pids = supervisor.instances().map((i) => i.pid);
  const written: string[][] = [];
  supervisor.routes.observe({ written: (servers) => written.push(servers.map((s) => s.name)) });
  const result = (await handlers.restart!(request({ all: true, rolling: true, drainMs: 0 }))) as { restarted: Array<{ instance: string }>; rolling: boolean };
  assert.deepEqual(
    result.restarted.map((r) => r.instance),
    ['app-1', 'app-2'],
  );
  assert.deepEqual(written, [['app-2'], ['app-1', 'app-2'], ['app-1'], ['app-1', 'app-2']]);
  const after = supervisor.instances().map((i) => i.pid);
  assert.ok(
    after.every((pid, i) => pid !== null && pid !== pids[i]),
    `new processes: ${pids} -> ${after}`,
  );
  await supervisor.stopAll();
  assert.deepEqual(markedProcesses(marker), []);
});

test('scale and logs', async (t) => {
  const { supervisor, handlers, logs, marker } = await setUp(t, 1);
  supervisor.startAll();
  await allRouted(supervisor);
  assert.deepEqual(
    await handlers.scale!(request({ count: 2, drainMs: 0 })),
    { added: ['app-2'], removed: [], states: { 'app-2': 'ready' }, instances: 2 },
    'scale waits until the new instance is ready, as start does',
  );
  assert.ok(supervisor.routes.status.written.includes('app-2'), 'and in the routes');
  await assert.rejects(handlers.scale!(request({ count: -1 })), /expected count to be a number >= 0, got -1/);
  assert.deepEqual(await handlers.scale!(request({ count: 1, drainMs: 0 })), { added: [], removed: ['app-2'], states: {}, instances: 1 });
  const quick = (await handlers.scale!(request({ count: 2, drainMs: 0, wait: false }))) as { states: Record<string, string> };
  assert.deepEqual(quick.states, { 'app-2': 'starting' }, 'wait: false answers at once');
  await handlers.scale!(request({ count: 1, drainMs: 0 }));
  logs.event('app-1', 'hello from the test');
  const read = request({ sources: ['1'], lines: 10 });
  const answer = (await handlers.logs!(read)) as { lines: number };
  assert.ok(answer.lines >= 1);
  assert.ok(
    read.sent.some((m) => (m as { line: { text: string } }).line.text === 'hello from the test'),
    JSON.stringify(read.sent),
  );
  await supervisor.stopAll();
  assert.deepEqual(markedProcesses(marker), []);
});

// Operations from several clients at once, as the control socket runs them (params checked, then the typed method),
// against a Supervisor over real child processes. The rule (docs/architecture.md, "Operations at once"): an instance
// a scale-down removed is never started again, the newest operation on an instance wins over one still on its way,
// scales of a group take turns, and every process lb-dev started belongs to an instance in `status`.
import assert from 'node:assert/strict';
import { type TestContext, after, test } from 'node:test';
import type { Supervisor } from '../../../../src/app/supervisor.js';
import type { RequestContext } from '../../../../src/control/server.js';
import { LbDevError } from '../../../../src/core/errors.js';
import { seededRandom } from '../../../../scripts/lib/storm.mjs';
import { markedInstances, markedProcesses } from '../../../helpers/lb-dev/processes.js';
import { allRouted, cleanupSupervisors, makeOperations, until } from '../../../helpers/supervisor.js';

after(cleanupSupervisors);

type Handler = (request: RequestContext) => Promise<unknown>;

function request(params: Record<string, unknown> = {}): RequestContext {
  return { params, send: () => true, closed: new Promise(() => {}), buffered: () => 0 };
}

async function setUp(t: TestContext, instances: number) {
  const made = await makeOperations(t, instances);
  const call = (name: string, params: Record<string, unknown> = {}) => (made.handlers as unknown as Record<string, Handler>)[name]!(request(params));
  return { ...made, call };
}

/** Every wanted instance ready (or given up), the routes written: nothing left on its way. */
async function settled(supervisor: Supervisor): Promise<void> {
  await allRouted(supervisor);
  await supervisor.routes.flush();
}

/** What runs = what status says runs = what the routes hold; nothing runs for a forgotten or stopped instance. */
function assertAgreement(supervisor: Supervisor, marker: string, context: string): void {
  const names = supervisor.instances().map((i) => i.name);
  assert.equal(new Set(names).size, names.length, `${context}: one instance per name (${names})`);
  const running = [...markedInstances(marker).keys()].sort();
  const wanted = supervisor
    .instances()
    .filter((i) => i.wantsToRun)
    .map((i) => i.name)
    .sort();
  assert.deepEqual(running, wanted, `${context}: processes run for exactly the instances that want to run`);
  const inBalancer = supervisor
    .instances()
    .filter((i) => i.takesTraffic)
    .map((i) => i.name)
    .sort();
  assert.deepEqual([...supervisor.routes.status.written].sort(), inBalancer, `${context}: the routes hold the instances that take traffic`);
}

test('a scale-down during a rolling restart: the removed instances are skipped by the roll, never started again', async (t) => {
  const { supervisor, call, marker } = await setUp(t, 3);
  supervisor.startAll();
  await settled(supervisor);
  const first = supervisor.find('1');
  const rolling = call('restart', { all: true, rolling: true, drainMs: 200 }) as Promise<{ restarted: Array<{ instance: string }>; skipped: unknown[] }>;
  await until(supervisor, () => first.drained);
  const scaled = (await call('scale', { count: 1, drainMs: 0 })) as { removed: string[] };
  assert.deepEqual(scaled.removed, ['app-2', 'app-3']);
  const result = await rolling;
  assert.deepEqual(
    result.restarted.map((r) => r.instance),
    ['app-1'],
  );
  assert.deepEqual(result.skipped, [
    { instance: 'app-2', reason: 'removed by a scale-down' },
    { instance: 'app-3', reason: 'removed by a scale-down' },
  ]);
  await settled(supervisor);
  assertAgreement(supervisor, marker, 'after the roll and the scale');
  await supervisor.stopAll();
  assert.deepEqual(markedProcesses(marker), []);
});

test('the newest operation on an instance wins: a stop during its rolling restart leaves it stopped', async (t) => {
  const { supervisor, call, marker } = await setUp(t, 2);
  supervisor.startAll();
  await settled(supervisor);
  const second = supervisor.find('2');
  const rolling = call('restart', { instance: '2', rolling: true, drainMs: 0 }) as Promise<{ restarted: unknown[]; skipped: unknown[] }>;
  // The roll has started it again and waits for it to be ready: the stop comes in then.
  await until(supervisor, () => second.phase === 'starting');
  assert.deepEqual(await call('stop', { instance: '2' }), { instance: 'app-2', state: 'stopped' });
  const result = await rolling;
  assert.deepEqual(result.restarted, []);
  assert.deepEqual(result.skipped, [{ instance: 'app-2', reason: 'stopped meanwhile by `lb-dev stop`' }]);
  await settled(supervisor);
  assert.equal(second.phase, 'stopped');
  assertAgreement(supervisor, marker, 'after the stop');
  await supervisor.stopAll();
});

test('a start that reaches an instance a scale-down removed is refused with a code, and starts nothing', async (t) => {
  const { supervisor, call, marker } = await setUp(t, 2);
  supervisor.startAll();
  await settled(supervisor);
  const second = supervisor.find('2');
  await call('stop', { instance: '2' });
  // Asked while the scale-down stops it: what a client that raced the scale gets.
  const removal = call('scale', { count: 1, drainMs: 50 });
  await until(supervisor, () => second.removed);
  await assert.rejects(
    call('start', { instance: '2' }),
    (error: unknown) => error instanceof LbDevError && error.code === 'INSTANCE_NOT_FOUND' && /no instance named "2"/.test(error.message),
  );
  await removal;
  second.start();
  assert.equal(second.phase, 'stopped', 'an instance removed by a scale-down never starts again, whoever asks');
  await settled(supervisor);
  assertAgreement(supervisor, marker, 'after the refused start');
  await supervisor.stopAll();
});

test('scales of a group take turns: the last one asked is the size, with one process tree per instance', async (t) => {
  const { supervisor, call, marker } = await setUp(t, 2);
  supervisor.startAll();
  await settled(supervisor);
  await Promise.all([call('scale', { count: 4, drainMs: 0 }), call('scale', { count: 1, drainMs: 50 }), call('scale', { count: 3, drainMs: 0 })]);
  await settled(supervisor);
  assert.deepEqual(
    supervisor.instances().map((i) => i.name),
    ['app-1', 'app-2', 'app-3'],
  );
  assertAgreement(supervisor, marker, 'after three scales at once');
  await supervisor.stopAll();
  assert.deepEqual(markedProcesses(marker), []);
});

test('shutting down during a rolling restart leaves nothing running', async (t) => {
  const { supervisor, call, marker } = await setUp(t, 2);
  supervisor.startAll();
  await settled(supervisor);
  const first = supervisor.find('1');
  const rolling = call('restart', { all: true, rolling: true, drainMs: 0 });
  await until(supervisor, () => first.phase === 'starting');
  await supervisor.stopAll();
  await rolling.catch(() => undefined);
  await settled(supervisor);
  assert.deepEqual(markedProcesses(marker), [], 'the roll started nothing after the shutdown');
});

const EXPECTED_REFUSALS = new Set(['INSTANCE_NOT_FOUND', 'INSTANCE_NOT_RUNNING']);

for (const seed of [1, 2, 3]) {
  test(`random operations from 6 clients at once (seed ${seed}): status, processes and routes agree afterwards`, async (t) => {
    const { supervisor, call, marker } = await setUp(t, 3);
    supervisor.startAll();
    await settled(supervisor);
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const name = () => String(1 + Math.floor(random() * 4));
    const operations: Array<() => [string, Record<string, unknown>]> = [
      () => ['scale', { count: Math.floor(random() * 5), drainMs: pick([0, 20]), wait: random() < 0.5 }],
      () => ['restart', { all: true, rolling: true, drainMs: 0 }],
      () => ['restart', { instance: name(), rolling: random() < 0.5, drainMs: 0 }],
      () => ['stop', { instance: name() }],
      () => ['start', { instance: name(), wait: random() < 0.5 }],
      () => ['kill', { random: true }],
      () => ['kill', { instance: name(), signal: 'SIGKILL' }],
    ];
    const refused: string[] = [];
    const client = async () => {
      for (let n = 0; n < 10; n++) {
        const [operation, params] = pick(operations)();
        try {
          await call(operation, params);
        } catch (error) {
          if (!(error instanceof LbDevError) || !EXPECTED_REFUSALS.has(error.code)) throw error;
          refused.push(error.code);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, client));
    await settled(supervisor);
    assertAgreement(supervisor, marker, `seed ${seed} (${refused.length} refusals)`);
    await supervisor.stopAll();
    assert.deepEqual(markedProcesses(marker), []);
  });
}

// Supervisor (src/app/supervisor.ts) with real child processes (test/fixtures/http-ok.mjs) and
// a real dynamic config file: the routes follow the instances.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LbDevError } from '../../../src/core/errors.js';
import { markedProcesses } from '../../helpers/lb-dev/index.js';
import { allRouted, cleanupSupervisors, makeSupervisor } from '../../helpers/supervisor.js';

after(cleanupSupervisors);

test('startAll: every instance ready, in the route snapshot and the written routes; find by name or number', async () => {
  const { supervisor, marker } = await makeSupervisor(2);
  let changes = 0;
  supervisor.observe({ changed: () => changes++ });
  supervisor.startAll();
  await allRouted(supervisor);
  assert.deepEqual(
    supervisor.status().map((i) => i.state),
    ['ready', 'ready'],
  );
  assert.deepEqual(
    supervisor.routeSnapshot().map((s) => s.name),
    ['app-1', 'app-2'],
  );
  assert.deepEqual(supervisor.routes.status.written, ['app-1', 'app-2']);
  assert.ok(changes >= 4, `changed events: ${changes}`);
  assert.equal(supervisor.find('2').name, 'app-2');
  assert.equal(supervisor.find('app-1').name, 'app-1');
  assert.throws(
    () => supervisor.find('app-9'),
    (error: unknown) => error instanceof LbDevError && error.code === 'INSTANCE_NOT_FOUND',
  );
  await supervisor.stopAll();
  assert.deepEqual(supervisor.routes.status.written, [], 'shutdown writes routes with no servers');
  assert.deepEqual(markedProcesses(marker), []);
});

test('scale up starts new instances; scale down retires the highest numbers out of the routes, then stops them', async () => {
  const { supervisor, marker } = await makeSupervisor(1);
  supervisor.startAll();
  await allRouted(supervisor);
  const up = await supervisor.scale(3, undefined, 0);
  assert.deepEqual(up, { added: ['app-2', 'app-3'], removed: [] });
  await allRouted(supervisor);
  assert.deepEqual(supervisor.routes.status.written, ['app-1', 'app-2', 'app-3']);
  const [, second, third] = supervisor.instances();
  const down = await supervisor.scale(1, undefined, 0);
  assert.deepEqual(down, { added: [], removed: ['app-2', 'app-3'] });
  assert.deepEqual(
    supervisor.instances().map((i) => i.name),
    ['app-1'],
  );
  assert.deepEqual([second!.phase, third!.phase, second!.pid, third!.pid], ['stopped', 'stopped', null, null]);
  assert.deepEqual(supervisor.routes.status.written, ['app-1']);
  await assert.rejects(supervisor.scale(65), /from 0 to 64, got 65/);
  await supervisor.stopAll();
  assert.deepEqual(markedProcesses(marker), []);
});

test('retire takes instances out of the route snapshot before they stop; admit lets them back in once ready', async () => {
  const { supervisor, marker } = await makeSupervisor(2);
  supervisor.startAll();
  await allRouted(supervisor);
  const first = supervisor.find('1');
  // While it drains it still runs, but no longer takes traffic.
  const retiring = supervisor.retire([first], 300);
  await supervisor.routes.flush();
  assert.deepEqual(
    supervisor.routeSnapshot().map((s) => s.name),
    ['app-2'],
  );
  assert.deepEqual(supervisor.routes.status.written, ['app-2']);
  assert.notEqual(first.pid, null, 'still running while requests on their way finish');
  await retiring;
  assert.equal(first.phase, 'stopped');
  first.start();
  await first.whenReady();
  assert.deepEqual(
    supervisor.routeSnapshot().map((s) => s.name),
    ['app-2'],
    'ready again but still drained',
  );
  await supervisor.admit([first]);
  assert.deepEqual(supervisor.routes.status.written, ['app-1', 'app-2']);
  await supervisor.stopAll();
  assert.deepEqual(markedProcesses(marker), []);
});

test('instances drained together are one route write; a crash takes its server out on its own', async () => {
  const { supervisor } = await makeSupervisor(4);
  supervisor.startAll();
  await allRouted(supervisor);
  const [first, second, third] = supervisor.instances();
  const before = supervisor.routes.status.writes;
  await supervisor.retire([first!, second!], 0);
  assert.equal(supervisor.routes.status.writes, before + 1, 'two drained instances, one write');
  assert.deepEqual(supervisor.routes.status.written, ['app-3', 'app-4']);
  // The crash's own write (a pushed failure: route-reconciler.test.ts shows it lands in the same turn),
  // carrying the exit it reflects, timed by the reconciler from the exit the supervisor pushed.
  const written: Array<{ servers: string[]; exits: string[]; ms: number[] }> = [];
  const wrote = new Promise<void>((resolve) => {
    const off = supervisor.routes.observe({
      written: (servers, _path, exits) => {
        written.push({ servers: servers.map((s) => s.name), exits: exits.map((e) => e.name), ms: exits.map((e) => e.ms) });
        off();
        resolve();
      },
    });
  });
  await third!.signal('SIGKILL');
  await wrote;
  assert.deepEqual(written[0]?.servers, ['app-4']);
  assert.deepEqual(written[0]?.exits, ['app-3']);
  assert.ok(written[0]!.ms[0]! >= 0 && written[0]!.ms[0]! < 1_000, `exit -> written ${written[0]!.ms[0]}ms`);
});

test('the exit flow goes one way: instances and the supervisor have no take-exit round trip', async () => {
  const { supervisor } = await makeSupervisor(1);
  const [instance] = supervisor.instances();
  // The reconciler gets what it needs pushed; nothing is left for it to take back from them.
  for (const owner of [supervisor, instance!]) {
    const names = Object.getOwnPropertyNames(Object.getPrototypeOf(owner));
    assert.deepEqual(
      names.filter((name) => /^takeExit/.test(name)),
      [],
      `${owner.constructor.name}: ${names.join(', ')}`,
    );
  }
  // @ts-expect-error the supervisor has no routesWritten event any more: the reconciler's `written` carries the exits.
  supervisor.observe({ routesWritten: () => undefined });
});

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
  assert.deepEqual(supervisor.status().map((i) => i.state), ['ready', 'ready']);
  assert.deepEqual(supervisor.routeSnapshot().map((s) => s.name), ['app-1', 'app-2']);
  assert.deepEqual(supervisor.routes.status.written, ['app-1', 'app-2']);
  assert.ok(changes >= 4, `changed events: ${changes}`);
  assert.equal(supervisor.find('2').name, 'app-2');
  assert.equal(supervisor.find('app-1').name, 'app-1');
  assert.throws(() => supervisor.find('app-9'), (error: unknown) => error instanceof LbDevError && error.code === 'INSTANCE_NOT_FOUND');
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
  assert.deepEqual(supervisor.instances().map((i) => i.name), ['app-1']);
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
  assert.deepEqual(supervisor.routeSnapshot().map((s) => s.name), ['app-2']);
  assert.deepEqual(supervisor.routes.status.written, ['app-2']);
  assert.notEqual(first.pid, null, 'still running while requests on their way finish');
  await retiring;
  assert.equal(first.phase, 'stopped');
  first.start();
  await first.whenReady();
  assert.deepEqual(supervisor.routeSnapshot().map((s) => s.name), ['app-2'], 'ready again but still drained');
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
  // The crash's own write (RouteSync.removeNow: route-sync.test.ts shows it lands in the same turn).
  const written: string[][] = [];
  supervisor.observe({ routesWritten: (servers) => written.push(servers.map((s) => s.name)) });
  await third!.signal('SIGKILL');
  await new Promise<void>((resolve) => {
    const off = supervisor.observe({ routesWritten: () => { off(); resolve(); } });
  });
  assert.deepEqual(written[0], ['app-4']);
});

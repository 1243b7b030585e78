// Start-up ordering (src/app/start-order.ts) through a Supervisor of real child processes:
// dependsOn waits for readiness, startOrder: sequential starts one instance at a time.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { markedProcesses, nodeFixture } from '../../helpers/lb-dev/index.js';
import { cleanupSupervisors, makeSupervisorFrom, until } from '../../helpers/supervisor.js';

after(cleanupSupervisors);

const fast = { stopGracePeriod: '500ms', readiness: { http: { interval: '50ms', timeout: '500ms' } } };

test('dependsOn: a group starts once the instance it names is ready; sequential: each instance once the one before is ready', async () => {
  const { supervisor, marker } = await makeSupervisorFrom({
    groups: {
      dev: { ...fast, command: nodeFixture('slow-start.mjs'), instances: 1, env: { START_DELAY: '300' } },
      replica: { ...fast, command: nodeFixture('slow-start.mjs'), instances: 3, dependsOn: ['dev-1'], startOrder: 'sequential', env: { START_DELAY: '200' } },
    },
  });
  supervisor.startAll();
  assert.deepEqual(
    supervisor.status().map((i) => i.state),
    ['starting', 'stopped', 'stopped', 'stopped'],
    'only dev-1 starts at first',
  );
  await until(supervisor, () => supervisor.status().every((i) => i.state === 'ready'));
  const [dev, ...replicas] = supervisor.status();
  let previousReady = dev!.readyAt!;
  for (const replica of replicas) {
    assert.ok(replica.startedAt! >= previousReady, `${replica.name} started ${replica.startedAt} before the one it waits for was ready (${previousReady})`);
    previousReady = replica.readyAt!;
  }
  await supervisor.stopAll();
  assert.deepEqual(markedProcesses(marker), []);
});

test('stopAll while a group still waits for its dependency: the waiting group never starts', async () => {
  const { supervisor, marker } = await makeSupervisorFrom({
    groups: {
      dev: { ...fast, command: nodeFixture('slow-start.mjs'), instances: 1, env: { START_DELAY: '60000' } },
      replica: { ...fast, command: nodeFixture('http-ok.mjs'), instances: 2, dependsOn: ['dev'] },
    },
  });
  supervisor.startAll();
  await until(supervisor, () => supervisor.find('dev-1').pid !== null);
  await supervisor.stopAll();
  assert.deepEqual(
    supervisor.status().map((i) => [i.name, i.state, i.startedAt]),
    [
      ['dev-1', 'stopped', supervisor.status()[0]!.startedAt],
      ['replica-1', 'stopped', null],
      ['replica-2', 'stopped', null],
    ],
  );
  assert.deepEqual(markedProcesses(marker), []);
});

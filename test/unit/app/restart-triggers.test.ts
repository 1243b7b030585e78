// restartOn (src/app/restart-triggers.ts) through a Supervisor of real child processes: a
// file change, or a matching line of another group, rolls the group one instance at a time
// while the others stay in the routes; instances already on the current build are skipped.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { markedProcesses, nodeFixture } from '../../helpers/lb-dev/index.js';
import { allRouted, cleanupSupervisors, makeSupervisorFrom, until } from '../../helpers/supervisor.js';
import type { Supervisor } from '../../../src/app/supervisor.js';

const dirs: string[] = [];
after(async () => {
  await cleanupSupervisors();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const fast = { stopGracePeriod: '500ms', readiness: { http: { interval: '50ms', timeout: '500ms' } } };

async function tempFile(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-trig-'));
  dirs.push(dir);
  const file = join(dir, name);
  await writeFile(file, 'build 1\n');
  return file;
}

/** The fewest instances the written routes ever had while `during` ran. */
async function fewestRouted(supervisor: Supervisor, during: Promise<void>): Promise<number> {
  let fewest = Infinity;
  const stop = supervisor.observe({
    changed: () => {
      fewest = Math.min(fewest, supervisor.routeSnapshot().length);
    },
  });
  await during;
  stop();
  return fewest;
}

test('restartOn.files: a changed bundle rolls every instance onto it, one at a time, the others routed meanwhile', async () => {
  const bundle = await tempFile('main.js');
  const { supervisor, marker } = await makeSupervisorFrom({
    command: nodeFixture('http-ok.mjs'),
    instances: 3,
    ...fast,
    restartOn: { files: [bundle], drain: '0s' },
  });
  supervisor.startAll();
  await until(supervisor, () => supervisor.status().every((i) => i.state === 'ready'));
  await allRouted(supervisor);
  const before = supervisor.status();
  assert.equal(new Set(before.map((i) => i.build)).size, 1, 'all started on the same build');
  const pids = before.map((i) => i.pid);

  await writeFile(bundle, 'build 2\n');
  const rolled = until(supervisor, () => supervisor.status().every((i, n) => i.state === 'ready' && i.pid !== pids[n] && i.inBalancer));
  const fewest = await fewestRouted(supervisor, rolled);
  const after = supervisor.status();
  assert.ok(fewest >= 2, `one instance out at a time, got ${fewest} routed at the lowest`);
  assert.equal(new Set(after.map((i) => i.build)).size, 1);
  assert.notEqual(after[0]!.build, before[0]!.build, 'the new build is shown');
  await supervisor.stopAll();
  assert.deepEqual(markedProcesses(marker), []);
});

test('restartOn.logPattern: a line of another group rolls this group; its own lines and other groups do not', async () => {
  const trigger = await tempFile('trigger');
  const { supervisor, marker } = await makeSupervisorFrom({
    groups: {
      dev: { ...fast, command: nodeFixture('log-on-change.mjs'), instances: 1, env: { WATCH_FILE: trigger } },
      replica: {
        ...fast,
        command: nodeFixture('http-ok.mjs'),
        instances: 2,
        dependsOn: ['dev'],
        restartOn: { logFrom: 'dev', logPattern: '^=> Meteor server restarted$', drain: '0s' },
      },
    },
  });
  supervisor.startAll();
  await until(supervisor, () => supervisor.status().every((i) => i.state === 'ready'));
  const [devPid, ...replicaPids] = supervisor.status().map((i) => i.pid);

  await writeFile(trigger, 'changed\n');
  const rolled = until(supervisor, () =>
    supervisor
      .status()
      .slice(1)
      .every((i, n) => i.state === 'ready' && i.pid !== replicaPids[n] && i.inBalancer),
  );
  const fewest = await fewestRouted(supervisor, rolled);
  assert.ok(fewest >= 2, `dev-1 and one replica routed throughout, got ${fewest}`);
  assert.equal(supervisor.find('dev-1').pid, devPid, 'the group that logged is not restarted');
  await supervisor.stopAll();
  assert.deepEqual(markedProcesses(marker), []);
});

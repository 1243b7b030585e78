// `lb-dev stop/start/restart/scale` from another process against a running
// `up --traefik external`: the state and the dynamic config follow each command.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FAST_GROUP, LbDevRun, cleanupAll, nodeFixture, pidAlive } from '../../helpers/lb-dev/index.js';
import { holdsFor, sampleUntil } from '../../helpers/wait.js';

const urlOf = (port: number | null) => `http://127.0.0.1:${port}`;
let run: LbDevRun;

before(async () => {
  run = await LbDevRun.start({ groups: { app: { command: nodeFixture('http-ok.mjs'), instances: 3, ...FAST_GROUP } } });
  await run.waitAllReady(3);
});
after(cleanupAll);

test('`stop 2` leaves it stopped and out of the config; `start 2` brings it back ready and routed', async () => {
  const before = await run.status();
  const two = run.instance(before, 'app-2');

  const stop = await run.cli(['stop', '2']);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(stop.stdout.trim(), 'app-2: stopped');
  const stopped = run.instance(await run.status(), 'app-2');
  assert.equal(stopped.state, 'stopped');
  assert.equal(stopped.desired, 'stopped');
  assert.equal(stopped.pid, null);
  assert.equal(pidAlive(two.pid!), false, 'its process is gone');
  assert.deepEqual(
    await run.serverUrls(),
    before.instances
      .filter((i) => i.name !== 'app-2')
      .map((i) => urlOf(i.port))
      .sort(),
  );
  // Stays stopped: no restart (the restart delay is 200ms).
  await holdsFor(async () => run.instance(await run.status(), 'app-2').state === 'stopped', 600, 'app-2 stopped');
  assert.equal(run.instance(await run.status(), 'app-2').state, 'stopped');
  // Nothing to signal: a coded answer that says so and how to start it, and no "sent" line in the pane.
  const kill = await run.cli(['kill', '2']);
  assert.equal(kill.code, 3, kill.stderr);
  assert.match(kill.stderr, /app-2 is not running \(state stopped\): no signal sent; `lb-dev start 2` starts it again \[INSTANCE_NOT_RUNNING\]/);
  assert.doesNotMatch(run.output(), /app-2 .*SIGKILL sent/);

  const start = await run.cli(['start', '2', '--json']);
  assert.equal(start.code, 0, start.stderr);
  assert.deepEqual(JSON.parse(start.stdout), { instance: 'app-2', state: 'ready' });
  const report = await run.waitAllReady(3);
  assert.equal(run.instance(report, 'app-2').port, two.port, 'same port after a stop/start');
  assert.deepEqual(await run.serverUrls(), before.instances.map((i) => urlOf(i.port)).sort());
});

test('`kill 2 --signal SIGSTOP` says how to unfreeze it; SIGCONT does', async () => {
  const frozen = await run.cli(['kill', '2', '--signal', 'SIGSTOP']);
  assert.equal(frozen.code, 0, frozen.stderr);
  assert.match(frozen.stdout, /^sent SIGSTOP to app-2 \(pid \d+ and its tree\); it is frozen until `lb-dev kill app-2 --signal SIGCONT`$/m);
  const resumed = await run.cli(['kill', '2', '--signal', 'SIGCONT']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /^sent SIGCONT to app-2 \(pid \d+ and its tree\)$/m);
  await run.waitAllReady(3);
});

test('`restart 2` gives it a new process and it is ready and routed when the command returns', async () => {
  const old = run.instance(await run.status(), 'app-2');
  const restart = await run.cli(['restart', '2']);
  assert.equal(restart.code, 0, restart.stderr);
  assert.match(restart.stdout, /^app-2: restarted and ready in \d+\.\ds$/m);
  const report = await run.status();
  const now = run.instance(report, 'app-2');
  assert.equal(now.state, 'ready');
  assert.notEqual(now.pid, old.pid);
  assert.equal(pidAlive(old.pid!), false);
  const urls = await run.serverUrls();
  assert.ok(urls?.includes(urlOf(now.port)), 'routed again');
  // The others were not restarted.
  for (const name of ['app-1', 'app-3']) assert.equal(run.instance(report, name).restarts, 0);
});

test('`restart --all --rolling`: each instance leaves the config and comes back, one at a time', async (t) => {
  const before = await run.waitAllReady(3);
  const ports = new Map(before.instances.map((i) => [urlOf(i.port), i.name]));
  const pids = before.instances.map((i) => i.pid!);
  // Watch the config file while the command runs.
  const missingSeq: string[] = [];
  let minServers = Infinity;
  const restart = await sampleUntil(
    run.cli(['restart', '--all', '--rolling', '--drain', '100ms', '--json']),
    async () => {
      const urls = await run.serverUrls();
      if (urls) {
        minServers = Math.min(minServers, urls.length);
        const missing = [...ports.keys()]
          .filter((u) => !urls.includes(u))
          .map((u) => ports.get(u)!)
          .join('+');
        if (missing && missingSeq.at(-1) !== missing) missingSeq.push(missing);
      }
    },
    5,
  );
  assert.equal(restart.code, 0, restart.stderr);
  const result = JSON.parse(restart.stdout) as { restarted: Array<{ instance: string; ms: number }>; rolling: boolean };
  t.diagnostic(`rolling restart: ${result.restarted.map((r) => `${r.instance} ${r.ms}ms`).join(', ')}; config missing in turn: ${missingSeq.join(' -> ')}`);
  assert.equal(result.rolling, true);
  assert.deepEqual(
    result.restarted.map((r) => r.instance),
    ['app-1', 'app-2', 'app-3'],
  );
  assert.deepEqual(missingSeq, ['app-1', 'app-2', 'app-3'], 'each left the config alone, in order');
  assert.equal(minServers, 2, 'never fewer than 2 of 3 in the config');
  const after = await run.waitAllReady(3);
  for (const i of after.instances) assert.ok(!pids.includes(i.pid!), `${i.name} has a new process`);
  assert.equal((await run.serverUrls())?.length, 3);
});

test('SIGINT afterwards leaves nothing running', async () => {
  run.signal('SIGINT');
  assert.equal((await run.waitExit()).code, 0, run.tail());
  assert.deepEqual(run.leftovers(), []);
});

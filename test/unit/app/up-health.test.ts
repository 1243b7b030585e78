// `lb-dev up --traefik external`: crash loops back off without holding anyone else up, and a
// frozen (SIGSTOP) instance leaves the balancer until it answers again.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FAST_GROUP, LbDevRun, cleanupAll, nodeFixture } from '../../helpers/lb-dev/index.js';

after(cleanupAll);

const urlOf = (port: number | null) => `http://127.0.0.1:${port}`;

test('a crash loop backs off with growing delays and does not delay the other group', async (t) => {
  const run = await LbDevRun.start({
    groups: {
      app: { command: nodeFixture('http-ok.mjs'), instances: 2, ...FAST_GROUP },
      crashy: {
        command: nodeFixture('exit-immediately.mjs'),
        instances: 1,
        ...FAST_GROUP,
        restart: { initialDelay: '200ms', multiplier: 2, maxDelay: '10s', jitter: 0 },
      },
    },
  });
  t.after(() => run.cleanup());
  await run.waitStarted();

  // Sample the crashing instance's backoff as it happens.
  const delays = new Map<number, number>(); // crashesInARow -> scheduled delay
  let appReadyAt = 0;
  const began = Date.now();
  while (Date.now() - began < 6_000 && (delays.size < 4 || !appReadyAt)) {
    const report = await run.status();
    const crashy = run.instance(report, 'crashy-1');
    if (crashy.state === 'crashed' && crashy.nextRestartAt && crashy.lastExit) {
      delays.set(crashy.crashesInARow, crashy.nextRestartAt - crashy.lastExit.at);
    }
    assert.equal(crashy.inBalancer, false);
    assert.ok(!report.routes.written.includes('crashy-1'), 'a crashing instance is never routed');
    const app = report.instances.filter((i) => i.group === 'app');
    if (!appReadyAt && app.every((i) => i.state === 'ready') && report.routes.written.length === 2) appReadyAt = Date.now() - began;
    await sleep(25); // deliberate: the pace of sampling status through the crash loop
  }
  t.diagnostic(`crash loop delays by crash count: ${JSON.stringify(Object.fromEntries(delays))}; app group all ready after ${appReadyAt}ms`);
  assert.ok(appReadyAt > 0 && appReadyAt < 5_000, `the http-ok group became ready (after ${appReadyAt}ms) while crashy-1 looped`);
  // jitter 0: exactly initialDelay * 2^(n-1).
  for (const [crashes, delay] of delays) assert.equal(delay, 200 * 2 ** (crashes - 1), `delay after crash ${crashes}`);
  const seen = [...delays.keys()].sort((a, b) => a - b);
  assert.ok(seen.length >= 3, `saw at least 3 backoff steps: ${seen.join(', ')}`);
  assert.deepEqual(
    seen,
    seen.map((_, i) => seen[0]! + i),
    'consecutive crash counts',
  );

  const report = await run.status();
  const crashy = run.instance(report, 'crashy-1');
  assert.equal(crashy.lastExit?.code, 3);
  assert.ok(crashy.restarts >= 3);
  assert.deepEqual(
    await run.serverUrls(),
    report.instances
      .filter((i) => i.group === 'app')
      .map((i) => urlOf(i.port))
      .sort(),
  );
  // The app group was never restarted.
  for (const i of report.instances.filter((x) => x.group === 'app')) assert.equal(i.restarts, 0);
  assert.match(run.output(), /crash loop: 3 crashes in a row/);

  run.signal('SIGINT');
  assert.equal((await run.waitExit()).code, 0);
  assert.deepEqual(run.leftovers(), []);
});

test('SIGSTOP via `lb-dev kill 2 --signal SIGSTOP` makes it unhealthy and out of the config; SIGCONT brings it back', async (t) => {
  const run = await LbDevRun.start({
    groups: {
      app: {
        command: nodeFixture('http-ok.mjs'),
        instances: 3,
        ...FAST_GROUP,
        readiness: { http: { interval: '100ms', healthInterval: '1s', timeout: '300ms' }, failureThreshold: 2, successThreshold: 1 },
      },
    },
  });
  t.after(() => run.cleanup());
  const report = await run.waitAllReady(3);
  const frozen = run.instance(report, 'app-2');

  const kill = await run.cli(['kill', '2', '--signal', 'SIGSTOP']);
  assert.equal(kill.code, 0, kill.stderr);
  assert.match(kill.stdout, new RegExp(`sent SIGSTOP to app-2 \\(pid ${frozen.pid}`));
  const stoppedAt = Date.now();
  const unhealthy = await run.waitFor((r) => {
    const i = run.instance(r, 'app-2');
    return i.state === 'unhealthy' && !r.routes.written.includes('app-2') ? i : null;
  }, 'app-2 unhealthy and out of the routes');
  t.diagnostic(`SIGSTOP -> unhealthy and out of the routes after ${Date.now() - stoppedAt}ms`);
  assert.equal(unhealthy.pid, frozen.pid, 'a frozen instance is not restarted');
  assert.equal(unhealthy.inBalancer, false);
  const urls = await run.serverUrls();
  assert.ok(urls && !urls.includes(urlOf(frozen.port)) && urls.length === 2, `config without app-2: ${urls}`);

  process.kill(frozen.pid!, 'SIGCONT');
  const back = await run.waitFor((r) => {
    const i = run.instance(r, 'app-2');
    return i.state === 'ready' && r.routes.written.includes('app-2') ? i : null;
  }, 'app-2 ready again after SIGCONT');
  assert.equal(back.pid, frozen.pid);
  assert.equal(back.restarts, 0);
  assert.equal((await run.serverUrls())?.length, 3);
  assert.match(run.output(), /unhealthy after 2 failed probes/);
  assert.match(run.output(), /healthy again; back in the balancer/);
});

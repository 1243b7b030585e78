/**
 * Crash-and-failover operations from a second terminal, against a real Traefik in Docker:
 * kill, stop/start, rolling restart under load (no failed request), scale up and down,
 * chaos with --keep, and `logs -f` across a restart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { e2eGate } from '../helpers/e2e-gate.js';
import { startLoad } from '../helpers/load.js';
import { FAST_GROUP, LbDevRun, cleanupAll, demoGroups, pidAlive } from '../helpers/lb-dev/index.js';
import { holdsFor, sampleUntil, waitUntil } from '../helpers/wait.js';

const gate = await e2eGate();

describe('operations against a real Traefik (docker)', { skip: gate.skip || false, timeout: 240_000 }, () => {
  let run: LbDevRun;
  /** The servers Traefik's API lists for lb-dev; null when it does not answer or know the service. */
  const traefikServers = () => run.ws.apiServers().catch(() => null);
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const liveUrls = async () =>
    (await run.status()).instances
      .filter((i) => i.inBalancer)
      .map((i) => url(i.port!))
      .sort();
  /** Waits until Traefik's API lists exactly the instances that lb-dev says take traffic. */
  const traefikAgrees = (what: string) =>
    waitUntil(
      async () => {
        const [want, have] = [await liveUrls(), await traefikServers()];
        return have !== null && JSON.stringify(want) === JSON.stringify(have) ? have : null;
      },
      { timeoutMs: 15_000, what: `Traefik's API to match lb-dev (${what})` },
    );

  before(async () => {
    run = await LbDevRun.start({
      // The built-in demo app, which names itself in /api/info.
      groups: demoGroups(3, { ...FAST_GROUP, readiness: { ...FAST_GROUP.readiness, http: { path: '/api/info', interval: '100ms', timeout: '500ms' } } }),
      config: { traefik: { mode: 'docker' } },
    });
    await run.waitAllReady(3, 90_000);
    await traefikAgrees('start');
  });

  // Also removes the container a SIGKILLed `up` leaves (by its state-dir label), as the next `up` would.
  after(cleanupAll);

  it('kill takes the instance out of Traefik at once and it comes back after the restart', async (t) => {
    const before = run.instance(await run.status(), 'app-2');
    const started = Date.now();
    const killed = await run.cli(['kill', '2', '--json']);
    assert.equal(killed.code, 0, killed.stderr);
    await waitUntil(async () => !((await traefikServers()) ?? [url(before.port!)]).includes(url(before.port!)), {
      timeoutMs: 10_000,
      what: 'app-2 to leave Traefik',
    });
    t.diagnostic(`kill -> gone from Traefik's API: ${Date.now() - started} ms (incl. the CLI's start-up)`);
    const back = await run.waitFor(
      (r) => {
        const i = run.instance(r, 'app-2');
        return i.state === 'ready' && i.restarts === before.restarts + 1 && i.pid !== before.pid ? i : null;
      },
      'app-2 restarted and ready',
      30_000,
    );
    assert.ok(!pidAlive(before.pid!), 'the killed tree is gone');
    await traefikAgrees('after restart');
    assert.ok((await traefikServers())!.includes(url(back.port!)));
  });

  it('stop keeps an instance out until start brings it back', async () => {
    assert.equal((await run.cli(['stop', '1'])).code, 0);
    let report = await run.status();
    assert.equal(run.instance(report, 'app-1').state, 'stopped');
    await traefikAgrees('app-1 stopped');
    assert.equal((await traefikServers())!.length, 2);
    await holdsFor(async () => run.instance(await run.status(), 'app-1').state === 'stopped', 1_000, 'app-1 stopped (a stopped instance is not restarted)');
    assert.equal(run.instance(await run.status(), 'app-1').state, 'stopped', 'a stopped instance is not restarted');
    const started = await run.cli(['start', 'app-1'], { timeoutMs: 60_000 });
    assert.equal(started.code, 0, started.stderr);
    report = await run.status();
    assert.equal(run.instance(report, 'app-1').state, 'ready');
    await traefikAgrees('app-1 started');
  });

  it('restart --all --rolling under load fails no request', async (t) => {
    const pidsBefore = (await run.status()).instances.map((i) => i.pid);
    const load = startLoad(`http://127.0.0.1:${run.port}/api/info`, 4);
    // Under load before the restart starts and still after it ends: some answers on each side.
    await waitUntil(() => load.peek().sent >= 20, { timeoutMs: 10_000, what: () => `the load to get going: ${JSON.stringify(load.peek())}` });
    const restarted = await run.cli(['restart', '--all', '--rolling', '--drain', '300ms', '--json'], { timeoutMs: 120_000 });
    const sentByEnd = load.peek().sent;
    await waitUntil(() => load.peek().sent >= sentByEnd + 20, {
      timeoutMs: 10_000,
      what: () => `more answers after the restart: ${JSON.stringify(load.peek())}`,
    });
    const result = await load.stop();
    assert.equal(restarted.code, 0, restarted.stderr);
    t.diagnostic(`rolling restart under load: ${result.sent} requests, ${result.failed} failed ${JSON.stringify(result.errors)}`);
    assert.ok(result.sent > 50, `the load ran (${result.sent} requests)`);
    assert.equal(result.failed, 0, `failed requests: ${JSON.stringify(result.errors)}`);
    const report = await run.status();
    for (const [i, instance] of report.instances.entries()) assert.notEqual(instance.pid, pidsBefore[i], `${instance.name} was restarted`);
    await traefikAgrees('after rolling restart');
  });

  it('scale adds instances to Traefik, and removes them from it before stopping them', async () => {
    assert.equal((await run.cli(['scale', '5'], { timeoutMs: 60_000 })).code, 0);
    await run.waitAllReady(5, 60_000);
    await traefikAgrees('scaled to 5');
    assert.equal((await traefikServers())!.length, 5);
    const removed = (await run.status()).instances.slice(2).map((i) => i.pid!);
    const down = await run.cli(['scale', '2'], { timeoutMs: 60_000 });
    assert.equal(down.code, 0, down.stderr);
    assert.equal((await run.status()).instances.length, 2);
    await traefikAgrees('scaled to 2');
    assert.equal((await traefikServers())!.length, 2);
    for (const pid of removed) assert.ok(!pidAlive(pid), `removed instance pid ${pid} is gone`);
    assert.equal((await run.cli(['scale', '3'], { timeoutMs: 60_000 })).code, 0);
    await run.waitAllReady(3, 60_000);
  });

  it('chaos kills instances but never leaves fewer than --keep ready', async () => {
    const chaos = run.spawnCli(['chaos', '--interval', '400ms', '--duration', '4s', '--keep', '2']);
    let minReady = Infinity;
    const exited = new Promise<number | null>((r) => chaos.once('exit', (code) => r(code)));
    const code = await sampleUntil(
      exited,
      async () => {
        const report = await run.status();
        minReady = Math.min(minReady, report.instances.filter((i) => i.state === 'ready').length);
      },
      50,
    );
    assert.equal(code, 0, chaos.stdoutText());
    assert.match(chaos.stdoutText(), /killed app-\d/);
    assert.match(chaos.stdoutText(), /chaos: stopped after \d+ kill/);
    assert.ok(minReady >= 2, `ready instances dropped to ${minReady}`);
    await run.waitAllReady(3, 60_000);
  });

  it('logs -f follows an instance across a restart, with lifecycle events in line', async () => {
    const follower = run.spawnCli(['logs', '2', '-f', '-n', '5']);
    await waitUntil(() => follower.stdoutText().length > 0, { timeoutMs: 20_000, what: 'logs -f to print the backlog' });
    assert.equal((await run.cli(['kill', '2'])).code, 0);
    await waitUntil(() => /killed by SIGKILL[\s\S]*starting on port[\s\S]*SERVER RUNNING[\s\S]*ready after/.test(follower.stdoutText()), {
      timeoutMs: 30_000,
      what: () => `logs -f to show the crash, the restart and the new output:\n${follower.stdoutText()}`,
    });
    assert.doesNotMatch(follower.stdoutText(), /app-1|app-3/, 'only app-2 is followed');
    follower.kill('SIGINT');
  });
});

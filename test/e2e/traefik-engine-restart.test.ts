/**
 * The Docker engine restarts under a running `up` (docker mode): its Traefik container is
 * stopped with it, `up` retries with backoff while the engine does not answer, and recreates
 * the container once it does: the balancer serves again. Run against an engine of the test's
 * own (test/helpers/private-docker.ts), never the machine's shared one.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { e2eGate, traefikImage } from '../helpers/e2e-gate.js';
import { LbDevRun, Workspace, demoGroups, info, waitUntil } from '../helpers/lb-dev/index.js';
import { PrivateDocker } from '../helpers/private-docker.js';

const gate = await e2eGate();
const privateEngine = gate.skip ? gate.skip : PrivateDocker.unavailable();
if (privateEngine && !gate.skip && process.env['LB_DEV_E2E_REQUIRED'] === '1') {
  throw new Error(`end-to-end tests are required (LB_DEV_E2E_REQUIRED=1) but cannot run: ${privateEngine}`);
}

describe('the Docker engine restarts under up', { skip: privateEngine || false, timeout: 600_000 }, () => {
  let engine: PrivateDocker | null = null;
  let ws: Workspace | null = null;
  after(async () => {
    await ws?.cleanup();
    await engine?.destroy();
  });

  it('the container is recreated once the engine answers again', { timeout: 300_000 }, async (t) => {
    engine = await PrivateDocker.start(traefikImage());
    ws = await Workspace.create({ groups: demoGroups(3), config: { traefik: { mode: 'docker' } } });
    const run = LbDevRun.startIn(ws, { env: { ...process.env, DOCKER_HOST: engine.host } });
    await run.waitAllConfirmed(3);
    const containers = async () => (await engine!.docker().listContainers({ all: true })).map((c) => c.Id);
    const [first] = await containers();
    assert.ok(first, 'the Traefik container runs in the private engine');

    const stoppedAt = performance.now();
    await engine.stop();
    await waitUntil(() => /ERROR: the Traefik container [^\n]* stopped or was removed/.test(run.output()), {
      timeoutMs: 30_000,
      what: () => `up to notice the engine going away\n${run.tail()}`,
    });
    await waitUntil(() => /starting Traefik again failed \(attempt 1\)/.test(run.output()), {
      timeoutMs: 30_000,
      what: () => `a failed attempt while the engine is down\n${run.tail()}`,
    });
    t.diagnostic(`engine stopped in ${Math.round(performance.now() - stoppedAt)} ms; up retries while it is down`);

    await engine.restart();
    const answeringAt = performance.now();
    await waitUntil(
      async () => {
        if (!run.output().includes('Traefik is back')) return false;
        const answer = await info(ws!).catch(() => null);
        return answer?.status === 200 && answer.instance !== null;
      },
      { timeoutMs: 90_000, intervalMs: 100, what: () => `Traefik back after the engine restart\n${run.tail()}` },
    );
    const ms = Math.round(performance.now() - answeringAt);
    t.diagnostic(`engine answering again -> balancer serving: ${ms} ms`);
    console.log(`[e2e] Docker engine restart: engine answering again -> balancer serving after ${ms} ms`);
    const now = await containers();
    assert.equal(now.length, 1, 'one container: the old one removed, a new one running');
    assert.notEqual(now[0], first);
    assert.equal((await run.status()).routes.confirmed, true);

    run.signal('SIGINT');
    assert.deepEqual(await run.waitExit(60_000), { code: 0, signal: null }, run.tail());
    assert.deepEqual(await containers(), []);
  });
});

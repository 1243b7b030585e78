/**
 * `lb-dev up` end to end with the default Traefik mode, auto, which here (Docker answers, the
 * image is present) chooses the traefik:v3.6 image in Docker:
 * three demo instances behind a real Traefik, balancing, the sticky cookie, WebSockets, an
 * instance killed and restarted, and every instance stopped (503, promptly).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { e2eGate } from '../helpers/e2e-gate.js';
import {
  type LbDevRun,
  Workspace,
  checkKillAndReturn,
  checkReachesAll,
  checkSticky,
  checkWebSockets,
  demoGroups,
  info,
  instanceOf,
  startAndWaitReady,
} from '../helpers/lb-dev/index.js';

const gate = await e2eGate();

const NAMES = ['app-1', 'app-2', 'app-3'];
const TEST_TIMEOUT_MS = 180_000;
/** "Promptly": a 503 from Traefik with no server takes milliseconds; this only catches a hang. */
const NO_SERVER_503_BUDGET_MS = 2_000;

describe('lb-dev up --traefik docker: 3 demo instances behind Traefik', { skip: gate.skip || false, timeout: 600_000 }, () => {
  let ws: Workspace | undefined;
  let run: LbDevRun | undefined;

  const must = () => {
    if (!ws || !run) throw new Error('lb-dev up did not start (see the first test)');
    return { ws, run };
  };

  before(async () => {
    // traefik.mode not written: the default, auto.
    ws = await Workspace.create({ groups: demoGroups(3), config: { traefik: { mode: undefined } } });
  });

  after(async () => {
    // Always: SIGKILL up, every marked process, every container labelled with the state dir.
    await ws?.cleanup();
  });

  it('starts: every instance ready and confirmed in Traefik; container labelled with the state dir', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const started = await startAndWaitReady(t, ws!, 3, 'docker');
    run = started.run;
    assert.equal(started.report.traefik.mode, 'docker');
    assert.equal(started.report.traefik.configuredMode, 'auto');
    assert.match(started.report.traefik.why, /Docker engine at .* answers and image traefik:v3\.6 is present/);
    assert.equal(
      started.run
        .output()
        .split('\n')
        .filter((line) => line.includes('traefik: auto -> docker: ')).length,
      1,
      started.run.output(),
    );
    const containers = await ws!.containers();
    assert.equal(containers.length, 1, `expected one container labelled with ${ws!.layout.root}, got ${JSON.stringify(containers)}`);
    assert.equal(containers[0]!.state, 'running');
  });

  it('requests without a cookie reach all 3 instances', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { ws } = must();
    await checkReachesAll(t, ws, NAMES);
  });

  it('the sticky cookie lb-dev-server pins a client to one instance', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { ws } = must();
    await checkSticky(t, ws);
  });

  it('WebSockets on /websocket and /sockjs connect through Traefik and echo from an instance', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { ws } = must();
    await checkWebSockets(t, ws, NAMES);
  });

  it('a SIGKILLed instance leaves Traefik (API and traffic) and returns after its restart', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { ws, run } = must();
    await checkKillAndReturn(t, ws, run, 2, 'sigkill');
    // Everyone is back: all three answer again.
    await checkReachesAll(t, ws, NAMES);
  });

  it('with every instance stopped (lb-dev stop 1, 2, 3) the balancer answers 503 promptly', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { ws, run } = must();
    for (const index of [1, 2, 3]) {
      const result = await ws.cli(['stop', String(index)]);
      assert.equal(result.code, 0, `lb-dev stop ${index}: ${result.stdout}${result.stderr}`);
    }
    const stoppedAt = performance.now();
    const report = await run.status();
    for (const name of NAMES) assert.equal(instanceOf(report, name).state, 'stopped', `expected ${name} stopped`);
    assert.deepEqual(report.routes.written, []);
    // `stop` waits for Traefik to confirm the route change, so the API is empty already.
    assert.deepEqual(await ws.apiServers(), [], 'expected Traefik to list no server once every instance is stopped');

    const first = await info(ws);
    const firstAfterMs = Math.round(performance.now() - stoppedAt);
    const latencies = [first.ms];
    assert.equal(first.status, 503, `expected 503 with no instance, got ${first.status} ${first.text}`);
    for (let i = 0; i < 9; i++) {
      const answer = await info(ws);
      assert.equal(answer.status, 503, `expected 503 with no instance, got ${answer.status} ${answer.text}`);
      latencies.push(answer.ms);
    }
    const max = Math.max(...latencies);
    const line = `every instance stopped -> 503: first 503 ${firstAfterMs} ms after the last stop returned; latency of 10 requests: max ${max} ms, median ${latencies.sort((a, b) => a - b)[5]} ms`;
    t.diagnostic(line);
    console.log(`[e2e] ${line}`);
    assert.ok(max < NO_SERVER_503_BUDGET_MS, `expected each 503 within ${NO_SERVER_503_BUDGET_MS} ms, slowest took ${max} ms`);

    // And back: start 1 brings traffic back (the run ends healthy; shutdown is tested in up-shutdown).
    const start = await ws.cli(['start', '1']);
    assert.equal(start.code, 0, `lb-dev start 1: ${start.stdout}${start.stderr}`);
    await run.waitFor((r) => r.routes.confirmed === true && r.routes.written.length === 1, 'app-1 routed again', 30_000);
    const answer = await info(ws);
    assert.equal(answer.status, 200);
    assert.equal(answer.instance, 'app-1');
  });
});

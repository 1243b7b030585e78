/**
 * `lb-dev up --traefik binary`: the same balancing, stickiness, WebSockets and kill/restart
 * checks as up-docker.test.ts, with a local traefik executable instead of the container:
 * no traefik.binary set, so lb-dev obtains it itself - the binary that
 * `scripts/provide-traefik.sh --binary` put into lb-dev's cache (or a traefik on PATH).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e2eGate, traefikBinaryGate } from '../helpers/e2e-gate.js';
import { portFree } from '../helpers/http.js';
import {
  type LbDevRun,
  Workspace,
  checkKillAndReturn,
  checkReachesAll,
  checkSticky,
  checkWebSockets,
  demoGroups,
  pidAlive,
  startAndWaitReady,
} from '../helpers/lb-dev/index.js';

const gate = await e2eGate();
// Only asked when the rest can run: without Docker the file is skipped for that reason already.
const binaryGate = gate.skip ? gate : await traefikBinaryGate();

const NAMES = ['app-1', 'app-2', 'app-3'];
const TEST_TIMEOUT_MS = 180_000;

describe('lb-dev up --traefik binary: 3 demo instances behind a local traefik', { skip: binaryGate.skip || false, timeout: 600_000 }, () => {
  let ws: Workspace | undefined;
  let run: LbDevRun | undefined;

  const must = () => {
    if (!ws || !run) throw new Error('lb-dev up did not start (see the first test)');
    return { ws, run };
  };

  before(async () => {
    if (binaryGate.skip !== false) return;
    ws = await Workspace.create({ groups: demoGroups(3), config: { traefik: { mode: 'binary' } } });
  });

  after(async () => {
    // Always: SIGKILL up and every process carrying the state dir marker (the traefik binary too).
    await ws?.cleanup();
  });

  it('starts: every instance ready and confirmed by the local traefik', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const started = await startAndWaitReady(t, ws!, 3, 'binary');
    run = started.run;
    assert.equal(started.report.traefik.mode, 'binary');
    assert.match(started.report.traefik.why, /\((cached|found on PATH)\)/, 'expected the obtained binary, found where lb-dev looks');
    t.diagnostic(`traefik: ${started.report.traefik.why} (the gate's binary: ${binaryGate.skip === false ? binaryGate.binary : '?'})`);
    assert.deepEqual(await ws!.containers(), [], 'expected no container in binary mode');
    // The provided Traefik has its web UI: `up` probes /dashboard/ once and says nothing.
    const dashboard = await fetch(`${started.report.traefik.apiUrl}/dashboard/`);
    assert.equal(dashboard.status, 200);
    assert.doesNotMatch(started.run.output(), /Traefik's dashboard .* answered/);
  });

  it('requests without a cookie reach all 3 instances', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { ws } = must();
    await checkReachesAll(t, ws, NAMES);
  });

  it('the sticky cookie lb-dev-server pins a client to one instance', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { ws } = must();
    await checkSticky(t, ws);
  });

  it('WebSockets on /websocket and /sockjs connect through traefik and echo from an instance', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { ws } = must();
    await checkWebSockets(t, ws, NAMES);
  });

  it('`lb-dev kill 2`: the instance leaves traefik (API and traffic) and returns after its restart', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { ws, run } = must();
    await checkKillAndReturn(t, ws, run, 2, 'cli');
    await checkReachesAll(t, ws, NAMES);
  });

  it('a SIGKILLed instance leaves traefik and returns after its restart', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { ws, run } = must();
    await checkKillAndReturn(t, ws, run, 3, 'sigkill');
    await checkReachesAll(t, ws, NAMES);
  });

  it('SIGINT stops up, the traefik binary and every instance; both ports are free', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { ws, run } = must();
    run.signal('SIGINT');
    const exit = await run.waitExit(60_000);
    assert.deepEqual(exit, { code: 0, signal: null }, `expected exit 0 after SIGINT, got ${JSON.stringify(exit)}\n${run.tail()}`);
    assert.deepEqual(ws.processes(), [], 'expected no process with the state dir marker (instances, traefik) after shutdown');
    assert.equal(await portFree(ws.port), true, `expected the balancer port ${ws.port} free after shutdown`);
    assert.equal(await portFree(ws.apiPort), true, `expected the API port ${ws.apiPort} free after shutdown`);
  });

  it('supervisor SIGKILLed: the next up on the same state dir stops the traefik and instances it left', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { ws } = must();
    const first = await startAndWaitReady(t, ws, 3, 'binary (first run)');
    await first.run.kill(); // SIGKILL: no cleanup at all
    const left = ws.processes();
    assert.equal(await portFree(ws.port), false, 'expected the leftover traefik to still hold the balancer port');
    t.diagnostic(`after SIGKILL of up: ${left.length} processes with the state dir marker left (traefik and instances)`);

    // Same config, same ports: the leftovers must be stopped before the ports are checked.
    const second = await startAndWaitReady(t, ws, 3, 'binary (run after a SIGKILLed supervisor)');
    // Reported, not asserted: an orphan may also exit on its own when it next writes to the dead
    // supervisor's pipe (traefik dies of SIGPIPE, the demo of EPIPE) before the second run looks.
    const stoppedLine = /stopped (\d+) process group\(s\) left by an earlier lb-dev/.exec(second.run.output());
    t.diagnostic(
      stoppedLine ? `the second run stopped ${stoppedLine[1]} leftover process group(s)` : 'the orphans had exited on their own before the second run looked',
    );
    assert.deepEqual(left.filter(pidAlive), [], 'expected every process of the killed run to be gone');
    second.run.signal('SIGINT');
    const exit = await second.run.waitExit(60_000);
    assert.deepEqual(exit, { code: 0, signal: null }, `expected exit 0, got ${JSON.stringify(exit)}\n${second.run.tail()}`);
    assert.deepEqual(ws.processes(), []);
  });
});

describe('lb-dev up (auto) with Docker but an image neither present nor pullable: runs the binary and says so', {
  skip: binaryGate.skip || false,
  timeout: 300_000,
}, () => {
  let ws: Workspace | undefined;

  after(async () => {
    await ws?.cleanup();
  });

  it('chooses binary, names the image and why, starts no container', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // A registry name that does not resolve: the pull fails at once, without touching any real registry.
    ws = await Workspace.create({ groups: demoGroups(1), config: { traefik: { mode: undefined, image: 'lb-dev-test.invalid/traefik:none' } } });
    const started = await startAndWaitReady(t, ws, 1, 'auto with an unpullable image');
    const { traefik } = started.report;
    assert.equal(traefik.mode, 'binary');
    assert.match(traefik.why, /Docker answers but image lb-dev-test\.invalid\/traefik:none is neither present nor pullable .*running the binary directly/);
    assert.equal(
      started.run
        .output()
        .split('\n')
        .filter((line) => line.includes('traefik: auto -> binary: ')).length,
      1,
      started.run.output(),
    );
    assert.deepEqual(await ws.containers(), [], 'expected no container');
    started.run.signal('SIGINT');
    assert.deepEqual(await started.run.waitExit(60_000), { code: 0, signal: null }, started.run.tail());
    assert.deepEqual(ws.processes(), []);
  });
});

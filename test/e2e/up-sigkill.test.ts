/**
 * Whatever kills `lb-dev up`, nothing it started outlives it: after a SIGKILL of `up` its
 * lifeline watchdog removes the instances (whole trees), a local traefik and the Traefik
 * container, and Prometheus (`monitoring.prometheus`: its process or its container), so that
 * within 2 s the balancer and API ports are free and a new `up` in ANOTHER state dir, on the
 * same ports, starts. Docker and binary Traefik.
 */
import { type TestContext, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { e2eGate, traefikBinaryGate } from '../helpers/e2e-gate.js';
import { portFree } from '../helpers/http.js';
import { Workspace, demoGroups, info, startAndWaitReady, waitUntil } from '../helpers/lb-dev/index.js';

const gate = await e2eGate();
const binaryGate = gate.skip ? gate : await traefikBinaryGate();

const TEST_TIMEOUT_MS = 240_000;
/** The bound: 2 s after the SIGKILL of `up`, nothing of it is left. */
const GONE_WITHIN_MS = 2_000;

type Mode = { mode: 'docker' } | { mode: 'binary'; binary: string };
type Monitoring = { prometheus: true; mode: 'docker' | 'binary' };

function runs(pid: number, program: RegExp): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((arg) => program.test(arg));
  } catch {
    return false;
  }
}
const isTraefik = (pid: number) => runs(pid, /(^|\/)traefik$/);
const isPrometheus = (pid: number) => runs(pid, /(^|\/)prometheus$/);

describe('lb-dev up SIGKILLed: nothing left, ports free, another state dir starts', { skip: gate.skip || false, timeout: 900_000 }, () => {
  const workspaces: Workspace[] = [];
  after(async () => {
    for (const ws of workspaces) await ws.cleanup();
  });
  const workspace = async (traefik: Mode, ports: { port?: number; apiPort?: number } = {}, monitoring?: Monitoring) => {
    const ws = await Workspace.create({ groups: demoGroups(3), config: { traefik, ...(monitoring ? { monitoring } : {}) }, ...ports });
    workspaces.push(ws);
    return ws;
  };

  const scenario = (label: string, traefik: () => Mode, monitoring?: Monitoring) => async (t: TestContext) => {
    const ws = await workspace(traefik(), {}, monitoring);
    const { run, report } = await startAndWaitReady(t, ws, 3, `${label} (to be SIGKILLed)`);
    const processes = ws.processes();
    assert.ok(
      report.instances.every((i) => i.pid !== null && processes.includes(i.pid)),
      'the instances carry the state dir marker',
    );
    const containers = await ws.containers();
    const mode = traefik().mode;
    const expectedContainers = (mode === 'docker' ? 1 : 0) + (monitoring?.mode === 'docker' ? 1 : 0);
    assert.equal(containers.length, expectedContainers, 'one container for each of Traefik and Prometheus run in Docker');
    assert.equal(processes.filter(isTraefik).length, mode === 'binary' ? 1 : 0, 'a local traefik process in mode binary');
    assert.equal(processes.filter(isPrometheus).length, monitoring?.mode === 'binary' ? 1 : 0, 'a local prometheus process for a binary Prometheus');

    await run.kill(); // SIGKILL: `up` itself cleans nothing
    const killedAt = performance.now();
    let left = { processes: processes.length, containers: containers.length, portsTaken: 2 };
    const clean = async () => {
      const ports = await Promise.all([portFree(ws.port), portFree(ws.apiPort)]);
      left = { processes: ws.processes().length, containers: (await ws.containers()).length, portsTaken: ports.filter((free) => !free).length };
      return left.processes === 0 && left.containers === 0 && left.portsTaken === 0;
    };
    await waitUntil(clean, {
      timeoutMs: GONE_WITHIN_MS,
      intervalMs: 25,
      what: () => `nothing left ${GONE_WITHIN_MS} ms after the SIGKILL of up (left: ${JSON.stringify(left)})`,
    });
    const goneMs = Math.round(performance.now() - killedAt);
    t.diagnostic(
      `${label}: ${processes.length} processes${containers.length ? ' and the container' : ''} gone, both ports free, ${goneMs} ms after the SIGKILL of up`,
    );
    console.log(`[e2e] ${label}: SIGKILL of up -> nothing left, ports free: ${goneMs} ms`);
    assert.match(readFileSync(`${ws.layout.root}/lifeline.log`, 'utf8'), /cleaning up/);

    // Another project (state dir) on the same two ports starts at once.
    const other = await workspace(traefik(), { port: ws.port, apiPort: ws.apiPort });
    const second = await startAndWaitReady(t, other, 3, `${label} (another state dir, same ports)`);
    assert.equal((await info(other)).status, 200);
    second.run.signal('SIGINT');
    assert.deepEqual(await second.run.waitExit(60_000), { code: 0, signal: null }, second.run.tail());
    assert.deepEqual(await other.containers(), []);
    assert.deepEqual(other.processes(), []);
  };

  it(
    'docker: instances and the container gone within 2 s',
    { timeout: TEST_TIMEOUT_MS },
    scenario('docker', () => ({ mode: 'docker' })),
  );

  it('binary: instances and the local traefik gone within 2 s', { timeout: TEST_TIMEOUT_MS, skip: binaryGate.skip || false }, async (t) => {
    if (binaryGate.skip !== false) return;
    const binary = binaryGate.binary;
    await scenario('binary', () => ({ mode: 'binary', binary }))(t);
  });

  for (const prometheus of ['docker', 'binary'] as const) {
    it(`binary Traefik with Prometheus (${prometheus}): its ${prometheus === 'docker' ? 'container' : 'process'} gone too`, {
      timeout: TEST_TIMEOUT_MS,
      skip: binaryGate.skip || false,
    }, async (t) => {
      if (binaryGate.skip !== false) return;
      const binary = binaryGate.binary;
      await scenario(`binary + prometheus ${prometheus}`, () => ({ mode: 'binary', binary }), { prometheus: true, mode: prometheus })(t);
    });
  }
});

/**
 * Traefik faults `up` survives (src/app/traefik/traefik-service.ts, supervised by
 * src/app/supervision/supervised-service.ts), with 3 demo instances:
 * - docker: the container removed, then killed, mid-run -> a new container, the routes written
 *   again and confirmed, the balancer serving again (the time is printed);
 * - docker: traefik/dynamic/ deleted, then all of traefik/ (the container's bind mount then
 *   points at a deleted directory) -> directories recreated, a new container, serving;
 * - docker: Traefik rejects a file in its directory -> its error shown, the last good routes
 *   kept (still serving); once the file is gone, the routes are confirmed again;
 * - binary: traefik killed -> restarted, serving.
 * A restart of the Docker engine is not tested here: the engine is shared with other test
 * runs on this machine (see docs/failover.md).
 */
import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { e2eGate, traefikBinaryGate } from '../helpers/e2e-gate.js';
import { type LbDevRun, Workspace, demoGroups, info, startAndWaitReady, waitUntil } from '../helpers/lb-dev/index.js';

const gate = await e2eGate();
const binaryGate = gate.skip ? gate : await traefikBinaryGate();
const TEST_TIMEOUT_MS = 240_000;

/** After `fault`, waits until `up` says Traefik is back and the balancer answers from an instance; returns the ms. */
async function recovers(t: TestContext, ws: Workspace, run: LbDevRun, label: string, fault: () => Promise<void> | void): Promise<number> {
  const backBefore = run.output().split('Traefik is back').length;
  const started = performance.now();
  await fault();
  await waitUntil(
    async () => {
      if (run.output().split('Traefik is back').length === backBefore) return false;
      const answer = await info(ws).catch(() => null);
      return answer?.status === 200 && answer.instance !== null;
    },
    { timeoutMs: 60_000, intervalMs: 50, what: () => `Traefik back and serving after: ${label}\n${run.tail()}` },
  );
  const ms = Math.round(performance.now() - started);
  const report = await run.status();
  assert.equal(report.routes.confirmed, true, 'the routes are confirmed by the new Traefik');
  assert.equal(report.routes.written.length, 3);
  t.diagnostic(`${label}: serving again after ${ms} ms`);
  console.log(`[e2e] ${label}: serving again after ${ms} ms`);
  return ms;
}

describe('Traefik faults survived', { skip: gate.skip || false, timeout: 900_000 }, () => {
  const workspaces: Workspace[] = [];
  after(async () => {
    for (const ws of workspaces) await ws.cleanup();
  });

  it('docker: container removed, container killed, dynamic dir deleted, traefik/ deleted', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const ws = await Workspace.create({ groups: demoGroups(3), config: { traefik: { mode: 'docker' } } });
    workspaces.push(ws);
    const { run } = await startAndWaitReady(t, ws, 3, 'docker (faults)');
    const { connectDocker } = await import('../../src/adapters/traefik/docker.js');
    const docker = (await connectDocker()).docker;
    const containerId = async () => {
      const [container] = await ws.containers();
      assert.ok(container, 'a Traefik container');
      return container.id;
    };

    const first = await containerId();
    await recovers(t, ws, run, 'container removed (docker rm -f)', () => docker.getContainer(first).remove({ force: true }));
    const second = await containerId();
    assert.notEqual(second, first, 'a new container');

    await recovers(t, ws, run, 'container killed (docker kill)', () => docker.getContainer(second).kill());
    const third = await containerId();
    assert.notEqual(third, second);
    assert.equal((await ws.containers()).length, 1, 'the killed container was removed');

    await recovers(t, ws, run, 'traefik/dynamic/ deleted', () => rmSync(ws.layout.dynamicDir, { recursive: true }));
    assert.notEqual(await containerId(), third, "a new container: the old one's file watch was on the deleted directory");

    await recovers(t, ws, run, 'traefik/ deleted (the bind-mounted directory)', () => rmSync(ws.layout.traefikDir, { recursive: true }));
    assert.ok((await ws.serverUrls())?.length === 3, 'the route file was written again');

    run.signal('SIGINT');
    assert.deepEqual(await run.waitExit(60_000), { code: 0, signal: null }, run.tail());
    assert.deepEqual(await ws.containers(), []);
  });

  it('docker: a file Traefik rejects: its error shown, the last good routes kept', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const ws = await Workspace.create({ groups: demoGroups(3), config: { traefik: { mode: 'docker', confirmTimeout: '3s' } } });
    workspaces.push(ws);
    const { run } = await startAndWaitReady(t, ws, 3, 'docker (rejected file)');
    const bad = join(ws.layout.dynamicDir, 'zz-broken.yaml');
    writeFileSync(bad, 'http:\n  routers: [this is: not: valid\n');
    // A route change lb-dev writes while the directory holds a file Traefik cannot parse.
    const outputBefore = run.output().length;
    assert.equal((await run.cli(['stop', '3'])).code, 0);
    const warning = await waitUntil(() => /did not show the written servers[^\n]*Traefik's last error: [^\n]*/.exec(run.output().slice(outputBefore))?.[0], {
      timeoutMs: 30_000,
      what: () => `a warning naming Traefik's error\n${run.tail()}`,
    });
    t.diagnostic(`shown: ${warning}`);
    assert.match(warning, /zz-broken|yaml/i);
    // Traefik keeps the configuration it had: all three servers, still answering.
    assert.equal((await ws.apiServers())?.length, 3, 'the last good routes are kept');
    for (let i = 0; i < 6; i++) assert.equal((await info(ws)).status, 200);

    rmSync(bad);
    await run.waitFor((r) => r.routes.confirmed === true && r.routes.written.length === 2, 'the routes confirmed once the bad file is gone', 60_000);
    assert.equal((await ws.apiServers())?.length, 2);
    run.signal('SIGINT');
    assert.deepEqual(await run.waitExit(60_000), { code: 0, signal: null }, run.tail());
  });

  it('binary: traefik killed -> restarted, serving', { timeout: TEST_TIMEOUT_MS, skip: binaryGate.skip || false }, async (t) => {
    if (binaryGate.skip !== false) return;
    const ws = await Workspace.create({ groups: demoGroups(3), config: { traefik: { mode: 'binary', binary: binaryGate.binary } } });
    workspaces.push(ws);
    const { run, report } = await startAndWaitReady(t, ws, 3, 'binary (faults)');
    const instances = new Set(report.instances.map((i) => i.pid));
    const traefikPid = ws.processes().find((pid) => !instances.has(pid));
    assert.ok(traefikPid, 'the traefik process');
    await recovers(t, ws, run, 'traefik binary killed (SIGKILL)', () => {
      process.kill(traefikPid, 'SIGKILL');
    });
    await recovers(t, ws, run, 'traefik/dynamic/ deleted (binary)', () => rmSync(ws.layout.dynamicDir, { recursive: true }));
    run.signal('SIGINT');
    assert.deepEqual(await run.waitExit(60_000), { code: 0, signal: null }, run.tail());
    assert.deepEqual(ws.processes(), []);
  });
});

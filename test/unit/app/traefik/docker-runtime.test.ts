// DockerTraefikRuntime (src/app/traefik/docker-runtime.ts) against the real engine and image
// traefik:v3.6: a start answers its ping; the container removed behind its back is reported
// down (downReason, onDown) at once; a stop removes the container and reports nothing; a start
// after a stop is a fresh container; a start that fails (its API port taken) is
// TRAEFIK_START_FAILED with Traefik's own words and no container left; an earlier run's
// container is removed as a leftover.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../../../src/core/config/schema.js';
import { LogHub } from '../../../../src/adapters/logs/log-hub.js';
import { TraefikApi } from '../../../../src/adapters/traefik/api-client.js';
import { type DockerEngine, STATE_DIR_LABEL, connectDocker } from '../../../../src/adapters/traefik/docker.js';
import { DockerTraefikRuntime } from '../../../../src/app/traefik/docker-runtime.js';
import { type StateLayout, prepareStateDir, stateLayout } from '../../../../src/app/state-dir.js';
import { e2eGate, traefikImage } from '../../../helpers/e2e-gate.js';
import { LOOPBACK, freePort } from '../../../helpers/http.js';
import { Condition } from '../../../helpers/wait.js';

const gate = await e2eGate();

describe('DockerTraefikRuntime', { skip: gate.skip || false, timeout: 240_000 }, () => {
  let dir = '';
  let layout: StateLayout;
  let logs: LogHub;
  let engine: DockerEngine;
  const runtimes: DockerTraefikRuntime[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lbdt-docker-runtime-'));
    layout = stateLayout(join(dir, 'state'));
    await prepareStateDir(layout);
    logs = new LogHub({ dir: layout.logsDir, maxFileBytes: 1 << 20, maxFiles: 2, ringBufferLines: 200 });
    engine = await connectDocker();
  });
  after(async () => {
    for (const runtime of runtimes) await runtime.stop();
    await engine.removeLabelledContainers({ [STATE_DIR_LABEL]: layout.root });
    logs.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function runtime(apiPort?: number): Promise<DockerTraefikRuntime> {
    const ports = { balancer: await freePort(), api: apiPort ?? (await freePort()) };
    const config = resolveConfig(
      { stateDir: layout.root, balancer: { port: ports.balancer }, traefik: { mode: 'docker', image: traefikImage(), apiPort: ports.api } },
      { source: null, overrides: {}, cwd: dir, demoCommand: 'node -e 0' },
    );
    const made = await DockerTraefikRuntime.create({ config, layout, logs });
    runtimes.push(made);
    return made;
  }
  const containers = async () =>
    (await engine.docker.listContainers({ all: true, filters: { label: [`${STATE_DIR_LABEL}=${layout.root}`] } })).map((c) => c.Id);

  it('starts, answers its ping, and reports the container removed behind its back at once', async () => {
    const traefik = await runtime();
    const progress: string[] = [];
    await traefik.start((line) => progress.push(line));
    assert.ok(await new TraefikApi(traefik.apiUrl).ping());
    assert.deepEqual(progress, [`Traefik is up (container ${traefik.containerName()})`]);
    assert.equal(traefik.downReason(), null);
    const [id, ...more] = await containers();
    assert.ok(id && more.length === 0, 'one container');

    const down = new Condition();
    let calls = 0;
    traefik.onDown = () => {
      calls++;
      down.notify();
    };
    await engine.docker.getContainer(id).remove({ force: true });
    await down.until(() => calls === 1, 'onDown called', 15_000);
    assert.equal(traefik.downReason(), `the Traefik container ${traefik.containerName()} stopped or was removed`);

    // A start after the fault (what the supervision does) is a fresh container, and clears the fault.
    await traefik.stop(true);
    await traefik.start(() => {});
    assert.equal(traefik.downReason(), null);
    const [fresh] = await containers();
    assert.ok(fresh && fresh !== id, 'a new container');

    await traefik.stop();
    assert.deepEqual(await containers(), []);
    assert.equal(traefik.downReason(), null, 'a stop on purpose is not a fault');
    assert.equal(calls, 1);
  });

  it('a start whose API port is taken: TRAEFIK_START_FAILED with its log lines, no container left', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, LOOPBACK, resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const traefik = await runtime(taken);
      await assert.rejects(
        traefik.start(() => {}),
        (error: Error & { code?: string; details?: string[] }) => {
          assert.equal(error.code, 'TRAEFIK_START_FAILED');
          assert.match(error.message, /exited during start-up/);
          assert.match((error.details ?? []).join('\n'), /address already in use/);
          return true;
        },
      );
      assert.deepEqual(await containers(), []);
    } finally {
      blocker.close();
    }
  });

  it("removes an earlier run's container as a leftover", async () => {
    const earlier = await runtime();
    await earlier.start(() => {});
    assert.equal((await containers()).length, 1);
    const later = await runtime();
    const progress: string[] = [];
    await later.removeLeftovers((line) => progress.push(line));
    assert.deepEqual(await containers(), []);
    assert.deepEqual(progress, [`removed a Traefik container left by an earlier run that did not stop cleanly: ${later.containerName()}`]);
  });
});

// Traefik as a supervised service (src/app/traefik/traefik-service.ts under
// src/app/supervision/supervised-service.ts), with a real traefik binary, the real route sync
// and a real backend: the state dir's traefik/dynamic/ replaced under a running Traefik (its
// file watch is on the old directory) is a fatal probe failure: the directories are set up
// again, the routes written before Traefik starts again and confirmed by the new Traefik.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveConfig } from '../../../../src/core/config/schema.js';
import { WEB_ENTRYPOINT } from '../../../../src/core/traefik/static-config.js';
import { LogHub } from '../../../../src/adapters/logs/log-hub.js';
import { TraefikApi } from '../../../../src/adapters/traefik/api-client.js';
import { DynamicConfigWriter } from '../../../../src/adapters/traefik/config-writer.js';
import { RouteReconciler } from '../../../../src/app/routes/route-reconciler.js';
import { prepareStateDir, stateLayout } from '../../../../src/app/state-dir.js';
import { DEFAULT_POLICY } from '../../../../src/app/supervision/service.js';
import { SupervisedService } from '../../../../src/app/supervision/supervised-service.js';
import { BinaryTraefikRuntime } from '../../../../src/app/traefik/binary-runtime.js';
import { TraefikService } from '../../../../src/app/traefik/traefik-service.js';
import { traefikBinaryGate } from '../../../helpers/e2e-gate.js';
import { freePort, getText, startNamedServer } from '../../../helpers/http.js';
import { markedProcesses } from '../../../helpers/lb-dev/processes.js';
import { waitUntil } from '../../../helpers/wait.js';

const gate = await traefikBinaryGate();

test('traefik/dynamic/ replaced: directories and routes set up again, a new Traefik confirms them', {
  skip: gate.skip || false,
  timeout: 120_000,
}, async (t) => {
  if (gate.skip !== false) return;
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-traefik-service-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const layout = stateLayout(join(dir, 'state'));
  await prepareStateDir(layout);
  const [balancerPort, apiPort] = [await freePort(), await freePort()];
  const config = resolveConfig(
    { stateDir: layout.root, balancer: { port: balancerPort }, traefik: { mode: 'binary', binary: gate.binary, apiPort } },
    { source: null, overrides: {}, cwd: dir, demoCommand: 'node -e 0' },
  );
  const logs = new LogHub({ dir: layout.logsDir, maxFileBytes: 1 << 20, maxFiles: 2, ringBufferLines: 500 });
  t.after(() => logs.close());
  const backend = await startNamedServer('app-1');
  t.after(() => backend.close());

  const runtime = await BinaryTraefikRuntime.create({ config, layout, logs });
  const routes = new RouteReconciler({
    serviceName: 'lb-dev',
    entryPoint: WEB_ENTRYPOINT,
    backendHost: runtime.backendHost,
    balancer: config.balancer,
    defaultCertificate: true,
    writer: new DynamicConfigWriter({ dir: layout.dynamicDir, fileName: 'lb-dev.yaml', tmpDir: layout.tmpDir }),
    api: new TraefikApi(runtime.apiUrl),
    confirmTimeoutMs: 10_000,
  });
  t.after(() => routes.close());
  const service = new TraefikService({ runtime, layout, routes, onProgress: (text) => logs.event('traefik', text) });
  const part = new SupervisedService(service, { logs, policy: { ...DEFAULT_POLICY, probeIntervalMs: 200 } });
  t.after(() => part.stop());
  const lines = () =>
    logs
      .recent(['traefik'], 500)
      .filter((line) => line.stream === 'event')
      .map((line) => line.text);
  const answers = async () => (await getText(`http://127.0.0.1:${balancerPort}/`, { timeoutMs: 1_000 }).catch(() => null))?.text.trim();

  await routes.writeUnconfirmed(); // as up does before Traefik's first start
  await part.start();
  routes.push({ servers: [{ name: 'app-1', port: backend.port }], cause: 'joined', instance: 'app-1', at: Date.now(), exited: false });
  await routes.flush();
  assert.equal(await answers(), 'app-1');
  const first = markedProcesses(layout.root);
  assert.equal(first.length, 1, 'one traefik process');

  renameSync(layout.dynamicDir, `${layout.dynamicDir}.old`);
  mkdirSync(layout.dynamicDir);
  await waitUntil(() => lines().some((line) => line.startsWith('Traefik is back and serving [app-1], ')), {
    timeoutMs: 60_000,
    what: () => `Traefik back after the replaced directory\n${lines().join('\n')}`,
  });
  assert.ok(lines().includes(`ERROR: ${layout.dynamicDir} was replaced: the balancer is down; starting Traefik again`), lines().join('\n'));
  assert.deepEqual(part.status(), { name: 'traefik', health: 'healthy', detail: runtime.describe(), restarts: 1 });
  assert.ok(existsSync(join(layout.dynamicDir, 'lb-dev.yaml')), 'the routes written into the new directory');
  assert.equal(routes.status.confirmed, true);
  assert.equal(await answers(), 'app-1');
  assert.notDeepEqual(markedProcesses(layout.root), first, 'a new traefik process');

  await part.stop();
  assert.deepEqual(markedProcesses(layout.root), []);
});

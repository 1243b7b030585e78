// A Supervisor over real child processes for the app/ unit tests: every process carries a
// unique marker (LB_DEV_STATE_DIR) so a test can find all of them, and routes go to a real
// dynamic config file in a temp dir (no Traefik API: written, not confirmed).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortAllocator } from '../../src/adapters/ports.js';
import type { InstanceLogSink } from '../../src/app/instance.js';
import { DynamicConfigWriter } from '../../src/adapters/traefik/config-writer.js';
import { RouteReconciler } from '../../src/app/routes/route-reconciler.js';
import { LogHub } from '../../src/adapters/logs/log-hub.js';
import { type OperationsContext, createOperations } from '../../src/app/operations.js';
import type { StatusReport } from '../../src/app/status-report.js';
import { operationRoutes } from '../../src/control/dispatch.js';
import type { TestContext } from 'node:test';
import { Supervisor } from '../../src/app/supervisor.js';
import { resolveConfig } from '../../src/core/config/schema.js';
import { ROOT, killHard, markedProcesses, nodeFixture } from './lb-dev/index.js';

const markers: string[] = [];
const dirs: string[] = [];
const made: Supervisor[] = [];

/** For after(): stops what a failed test left running (and kills what would not stop), removes the temp dirs. */
export async function cleanupSupervisors(): Promise<void> {
  await Promise.all(made.splice(0).map((supervisor) => supervisor.stopAll()));
  for (const marker of markers.splice(0)) for (const pid of markedProcesses(marker)) killHard(pid);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
}

export async function makeSupervisor(instances: number, logs: InstanceLogSink = { append: () => undefined, event: () => undefined }) {
  return makeSupervisorFrom(
    {
      command: nodeFixture('http-ok.mjs'),
      instances,
      stopGracePeriod: '500ms',
      readiness: { http: { interval: '50ms', timeout: '500ms' } },
    },
    logs,
  );
}

/** A Supervisor over the config `raw` (as a parsed lb-dev.config.yaml, relative to the repo root). */
export async function makeSupervisorFrom(raw: unknown, logs: InstanceLogSink = { append: () => undefined, event: () => undefined }) {
  const marker = `/lb-dev-supervisor-test/${randomUUID()}`;
  markers.push(marker);
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-sup-'));
  dirs.push(dir);
  const config = resolveConfig(raw, { source: null, overrides: {}, cwd: ROOT, demoCommand: 'node -e 0' });
  const routes = new RouteReconciler({
    serviceName: 'lb-dev',
    entryPoint: 'web',
    backendHost: '127.0.0.1',
    balancer: config.balancer,
    defaultCertificate: true,
    writer: new DynamicConfigWriter({ dir: join(dir, 'dynamic'), fileName: 'lb-dev.yaml', tmpDir: join(dir, 'tmp') }),
    api: null,
    confirmTimeoutMs: 1_000,
  });
  const supervisor = new Supervisor({
    config,
    ports: new PortAllocator('127.0.0.1'),
    logs,
    balancerUrl: 'http://127.0.0.1:1',
    baseEnv: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', LB_DEV_STATE_DIR: marker },
    routes,
  });
  made.push(supervisor);
  return { supervisor, marker, dir };
}

/** Resolves once `predicate` holds, checked now and on each status change (no polling). */
export function until(supervisor: Supervisor, predicate: () => boolean): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = supervisor.observe({
      changed: () => {
        if (!predicate()) return;
        stop();
        resolve();
      },
    });
  });
}

/** Resolves once every instance is ready (or no longer wants to run) and the routes are written. */
export async function allRouted(supervisor: Supervisor): Promise<void> {
  await Promise.all(supervisor.instances().map((i) => i.whenReady()));
  await supervisor.routes.flush();
}

/** A Supervisor of `instances` (http-ok.mjs) with its log hub and every operation as the control socket routes it. */
export async function makeOperations(t: TestContext, instances: number) {
  const made = await makeSupervisor(instances);
  const logs = new LogHub({ dir: join(made.dir, 'logs'), maxFileBytes: 1 << 20, maxFiles: 2, ringBufferLines: 100 });
  t.after(() => logs.close());
  const ctx: OperationsContext = {
    supervisor: () => made.supervisor,
    logs,
    status: () => ({ instances: made.supervisor.status() }) as StatusReport,
    maxLogFiles: 2,
  };
  return { ...made, logs, handlers: operationRoutes(createOperations({ ...ctx, requestShutdown: () => undefined })) };
}

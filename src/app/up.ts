/**
 * `lb-dev up`: the parts of a run in the order they start; the stack stops the started ones in
 * reverse on every path (Ctrl-C, `lb-dev down`, an error, a start that failed part-way).
 */
import type { LbDevConfig } from '../core/config/types.js';
import { LbDevError } from '../core/errors.js';
import { runIdOf } from '../core/process-marker.js';
import { PortAllocator } from '../adapters/ports.js';
import { assertCommandExists } from '../adapters/process/command-check.js';
import { type ParentWatch, startedByPackageManager, watchParent } from '../adapters/process/parent-watch.js';
import { LbDevMetrics } from './metrics/lb-dev-metrics.js';
import { createOperations } from './operations.js';
import type { UpContext, UpIo } from './parts/context.js';
import { ControlPart } from './parts/control-part.js';
import { DashboardPart } from './parts/dashboard-part.js';
import { InstancesPart } from './parts/instances-part.js';
import { LifelinePart } from './parts/lifeline-part.js';
import { MetricsPart } from './parts/metrics-part.js';
import { PrometheusPart } from './parts/prometheus-part.js';
import { ShutdownRequest } from './parts/shutdown.js';
import { statusReport } from './parts/status.js';
import { TraefikPart } from './parts/traefik-part.js';
import { preflightRocketChat } from './rocketchat-checks.js';
import { Stack } from './stack/stack.js';
import { prepareStateDir, stateLayout } from './state-dir.js';
import { balancerUrl } from './status-report.js';
import { createUpLogs } from './up-logs.js';

export type { UpIo } from './parts/context.js';

export async function runUp(config: LbDevConfig, io: UpIo): Promise<number> {
  // Checks that need nothing started: a bad command is reported before any process runs.
  for (const group of config.groups) assertCommandExists(group.command, group.cwd, io.env.PATH, `group ${group.name}`);
  const ctx = await upContext(config, io);
  const shutdown = new ShutdownRequest(
    io.signals,
    (text) => ctx.logs.event('lb-dev', text),
    () => instances.forceStop(),
  );
  ctx.requestShutdown = (reason) => shutdown.request(reason);

  const lifeline = new LifelinePart(ctx, () => stack.stoppedCleanly());
  const traefik = new TraefikPart(ctx, lifeline);
  const metrics: MetricsPart = new MetricsPart(
    ctx,
    new LbDevMetrics({
      instances: () => instances.supervisorIfStarted?.status() ?? [],
      requests: () => traefik.requests,
      backendUrl: (port) => traefik.backendUrl(port),
    }),
  );
  const instances: InstancesPart = new InstancesPart(ctx, { lifeline, traefik, metrics: metrics.metrics });
  const status = () => statusReport(ctx, stack, { traefik, instances, metrics, prometheus, dashboard });
  const operations = createOperations({
    supervisor: () => instances.supervisorIfStarted,
    logs: ctx.logs,
    status,
    maxLogFiles: config.logs.maxFiles,
    requestShutdown: (reason) => shutdown.request(reason),
  });
  const control = new ControlPart(ctx, { operations, onRequest: (method, outcome) => metrics.metrics.controlRequest(method, outcome) });
  const prometheus = new PrometheusPart(ctx, { lifeline, metrics, traefik });
  const dashboard = new DashboardPart(ctx, { instances, traefik, operations });
  const stack: Stack = new Stack([control, lifeline, traefik, metrics, prometheus, instances, dashboard], {
    onStopFailed: (part, error) => ctx.log.error({ err: error }, `stopping ${part} failed: ${error.message}`),
  });

  shutdown.listen();
  // A package manager that does not pass its signal on (yarn 1) exits and leaves `up` running.
  const parentWatch: ParentWatch | null = startedByPackageManager(io.env)
    ? watchParent((pid) => {
        ctx.logs.event('lb-dev', `the package manager that started lb-dev (pid ${pid}) exited: stopping everything`);
        shutdown.request('its package manager exited');
      })
    : null;
  try {
    if (config.preset === 'rocketchat') await preflightRocketChat(config, (text) => ctx.log.warn(text));
    for (const notice of config.notices ?? []) ctx.log.warn(notice);
    await stack.start(() => shutdown.reason === null);
    await shutdown.requested;
    ctx.log.info(`shutting down (${shutdown.reason}) ...`);
    await stack.stop();
    ctx.logs.event('lb-dev', stack.stoppedCleanly() ? 'stopped; nothing left running' : 'stopped; the watchdog removes what did not stop');
    return 0;
  } catch (error) {
    // The CLI prints the error once, with its code and fix; the JSON log keeps it for tools.
    if (error instanceof LbDevError && control.claimed) ctx.log.debug({ code: error.code, details: error.details }, `start-up failed: ${error.message}`);
    await stack.stop();
    throw error;
  } finally {
    parentWatch?.stop();
    shutdown.close();
    ctx.printer.flushNow();
  }
}

/** The state dir made ready, the logs, lb-dev's event log and the port allocator: what every part shares. */
async function upContext(config: LbDevConfig, io: UpIo): Promise<UpContext> {
  const layout = stateLayout(config.stateDir);
  const startedAt = Date.now();
  await prepareStateDir(layout);
  const { printer, logs, log } = createUpLogs(config, layout, io);
  return {
    config,
    layout,
    io,
    url: balancerUrl(config),
    startedAt,
    runId: runIdOf(process.pid, startedAt),
    logs,
    printer,
    log,
    ports: new PortAllocator('127.0.0.1', config.instancePorts),
    requestShutdown: () => {},
  };
}

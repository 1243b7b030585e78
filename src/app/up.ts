/**
 * `lb-dev up`: start-up in a safe order, run until asked to stop, and shut down in reverse.
 * Whatever fails part-way, everything already started is stopped again before returning.
 */
import { rm } from 'node:fs/promises';
import type { LbDevConfig } from '../core/config/types.js';
import { LbDevError } from '../core/errors.js';
import { modeLine } from '../core/traefik/choose-mode.js';
import { PortAllocator, assertPortFree, claimListenPort } from '../adapters/ports.js';
import { assertCommandExists } from '../adapters/process/command-check.js';
import { stopLeftovers } from '../adapters/process/leftovers.js';
import { type Lifeline, startLifeline } from '../adapters/process/lifeline.js';
import { createSupervisorLogger } from '../adapters/supervisor-logger.js';
import { TraefikApi } from '../adapters/traefik/api-client.js';
import { AccessLogCounter } from '../adapters/traefik/access-log-counter.js';
import { DynamicConfigWriter } from '../adapters/traefik/config-writer.js';
import { serverUrl } from '../core/traefik/dynamic-config.js';
import { WEB_ENTRYPOINT } from '../core/traefik/static-config.js';
import { ControlServer } from '../control/server.js';
import { controlHandlers } from './control-handlers.js';
import { LbDevMetrics } from './metrics/lb-dev-metrics.js';
import { createPrometheusPart } from './monitoring/prometheus-service.js';
import { type MetricsEndpoint, startMetricsEndpoint } from './metrics/metrics-endpoint.js';
import { operationHandlers } from './operations.js';
import { StartupProgress } from './progress.js';
import { createUpLogs } from './up-logs.js';
import { preflightRocketChat } from './rocketchat-checks.js';
import { routeLog } from './route-log.js';
import { prepareStateDir, stateLayout, writeOwnerOnly } from './state-dir.js';
import { type StatusReport, balancerUrl } from './status-report.js';
import { Supervisor } from './supervisor.js';
import { type TraefikChoice, chooseTraefik } from './traefik/choose-traefik.js';
import { createTraefikRuntime, effectiveConfig } from './traefik/create-runtime.js';
import { type RunningDashboard, startDashboard } from './dashboard/start.js';
import type { TraefikRuntime } from './traefik/runtime.js';
import { SupervisedService } from './supervision/supervised-service.js';
import { TraefikService } from './traefik/traefik-service.js';

export interface UpIo {
  out: NodeJS.WritableStream;
  color: boolean;
  /** Where SIGINT/SIGTERM come from (process in real use). */
  signals: NodeJS.EventEmitter;
  env: NodeJS.ProcessEnv;
}

export const SERVICE_NAME = 'lb-dev';

type Cleanup = () => Promise<void>;

export async function runUp(config: LbDevConfig, io: UpIo): Promise<number> {
  // Checks that need nothing started: a bad command is reported before any process runs.
  for (const group of config.groups) {
    assertCommandExists(group.command, group.cwd, io.env.PATH, `group ${group.name}`);
  }
  const layout = stateLayout(config.stateDir);
  await prepareStateDir(layout);

  const url = balancerUrl(config);
  const { printer, logs } = createUpLogs(config, layout, io);
  let shutdownReason: string | null = null;
  let wakeShutdown: () => void = () => {};
  const shutdownRequested = new Promise<void>((resolve) => { wakeShutdown = resolve; });
  const requestShutdown = (reason: string) => {
    if (shutdownReason !== null) return;
    shutdownReason = reason;
    wakeShutdown();
  };

  // Filled in as start-up gets there; the control socket answers `status` from the start.
  let supervisor: Supervisor | null = null;
  let runtime: TraefikRuntime | null = null;
  let choice: TraefikChoice | null = null;
  let requests: AccessLogCounter | null = null;
  let metricsEndpoint: MetricsEndpoint | null = null;
  let prometheusUrl: string | null = null;
  const metrics = new LbDevMetrics({
    instances: () => supervisor?.status() ?? [],
    requests: () => requests,
    backendUrl: (port) => (runtime ? serverUrl(runtime.backendHost, port) : null),
  });
  let dashboard: RunningDashboard | null = null;
  const startedAt = Date.now();
  const instanceStatus = () => (supervisor?.status() ?? []).map((i) => {
    const counts = requests?.byUrl();
    return counts && runtime && i.port !== null ? { ...i, requests: counts.get(serverUrl(runtime.backendHost, i.port)) ?? 0 } : i;
  });
  const status = (): StatusReport => ({
    url,
    dynamicConfigPath: layout.dynamicFile,
    stateDir: layout.root,
    pid: process.pid,
    startedAt,
    usingDemoApp: config.usingDemoApp,
    traefik: {
      mode: choice?.mode ?? config.traefik.mode,
      configuredMode: config.traefik.mode,
      why: choice?.why ?? 'choosing',
      apiUrl: runtime?.apiUrl ?? null,
      description: runtime?.describe() ?? 'starting',
    },
    routes: supervisor?.routes.status ?? { written: [], writtenAt: null, confirmed: null, confirmMs: null, problem: null, writes: 0 },
    instances: instanceStatus(),
    metricsUrl: metricsEndpoint?.url ?? null,
    prometheusUrl,
    dashboardUrl: dashboard?.url ?? null,
  });

  // Claim the state dir (ALREADY_RUNNING when another `up` answers on its socket) before any
  // log file is opened: a second `up` must not write into the running one's logs.
  const operations = operationHandlers({ supervisor: () => supervisor, logs, status, maxLogFiles: config.logs.maxFiles });
  const control = new ControlServer(layout.socket, { ...controlHandlers({ status, requestShutdown }), ...operations });
  control.observeRequests((method, outcome) => metrics.controlRequest(method, outcome));
  await control.listen();
  const log = createSupervisorLogger({ file: layout.supervisorLog, onMessage: (_level, message) => logs.event('lb-dev', message) });
  const cleanups: Cleanup[] = [() => control.close()];
  let lifeline: Lifeline | null = null;
  const cleanUp = async () => {
    let failed = false;
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        failed = true;
        log.error({ err: error }, `cleanup failed: ${(error as Error).message}`);
      }
    }
    // At the very end, and only when everything stopped: the watchdog exits touching nothing.
    // After a failed cleanup it removes what is left once `up` exits and the pipe closes.
    if (!failed) await lifeline?.release();
    printer.flushNow();
  };

  // First signals: orderly shutdown. A second Ctrl-C forces: SIGKILL to every tree at once.
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      logs.event('lb-dev', `${signal}: stopping everything (press Ctrl-C again to force)`);
      requestShutdown(signal);
    } else {
      logs.event('lb-dev', `${signal} again: killing every instance now`);
      for (const instance of supervisor?.instances() ?? []) void instance.forceStop();
    }
  };
  io.signals.on('SIGINT', onSignal);
  io.signals.on('SIGTERM', onSignal);
  cleanups.push(async () => {
    io.signals.off('SIGINT', onSignal);
    io.signals.off('SIGTERM', onSignal);
  });

  try {
    if (config.preset === 'rocketchat') await preflightRocketChat(config, (text) => log.warn(text));
    for (const notice of config.notices ?? []) log.warn(notice);
    // From here on, whatever kills `up`, the watchdog removes what it started (see lifeline.ts).
    const watchdog = await startLifeline({ stateDir: layout.root, log });
    lifeline = watchdog;
    await writeOwnerOnly(layout.runFile, JSON.stringify({ pid: process.pid, startedAt, url, lifelinePid: watchdog.pid }, null, 2));
    cleanups.push(() => rm(layout.runFile, { force: true }));

    // What an earlier run on this state dir left when its supervisor was killed (instances, a
    // local traefik, the Traefik container) still holds its ports: remove it before checking
    // them. Safe here: control.listen() above already refused to start next to a live `up`.
    const leftovers = await stopLeftovers(layout.root, 2_000);
    if (leftovers.length) log.warn(`stopped ${leftovers.length} process group(s) left by an earlier lb-dev that did not shut down cleanly`);
    const chosen = await chooseTraefik(config, io.env, (message) => logs.event('lb-dev', message));
    choice = chosen;
    log.info(modeLine(chosen.mode, chosen.how, chosen.why));
    const ctx = { config: effectiveConfig(config, chosen, config.traefik.apiPort), layout, logs, lifeline: watchdog };
    let traefik = await createTraefikRuntime(ctx);
    runtime = traefik;
    await traefik.removeLeftovers?.((message) => logs.event('traefik', message));

    const ports = new PortAllocator('127.0.0.1');
    ports.reserve(config.balancer.port);
    // With an external Traefik the balancer port is that Traefik's own: it is meant to be taken.
    if (chosen.mode !== 'external') {
      await assertPortFree(config.balancer.port, config.balancer.host, 'the balancer', '--port or balancer.port');
      // The API port is only a default unless set: a second lb-dev (another checkout) takes a free one.
      const api = await claimListenPort(config.traefik.apiPort, ports, {
        host: config.balancer.host, explicit: config.explicit.traefikApiPort, what: "Traefik's API", setting: 'traefik.apiPort',
      });
      if (api.movedFrom !== null) {
        ctx.config = effectiveConfig(config, chosen, api.port);
        traefik = await createTraefikRuntime(ctx);
        runtime = traefik;
        log.info(`Traefik's API port ${api.movedFrom} is taken (another lb-dev?); using a free one: ${traefik.apiUrl} (set traefik.apiPort to pin one)`);
      }
    }
    const endpoint = await startMetricsEndpoint(config, ports, metrics);
    if (endpoint) {
      metricsEndpoint = endpoint;
      cleanups.push(() => endpoint.close());
      log.info(`metrics: ${endpoint.url}`);
    }
    const dashboardPort = config.dashboard.port === null ? null : await claimListenPort(config.dashboard.port, ports, {
      host: '127.0.0.1', explicit: config.explicit.dashboardPort, what: 'the dashboard', setting: 'dashboard.port (false = no dashboard)',
    });
    if (dashboardPort?.movedFrom) log.warn(`the dashboard's port ${dashboardPort.movedFrom} is taken (another lb-dev?): using ${dashboardPort.port}; set dashboard.port to pin one`);

    // Instances -> routes -> file -> Traefik: the supervisor owns the route sync that follows its instances.
    const writer = new DynamicConfigWriter({ dir: layout.dynamicDir, fileName: 'lb-dev.yaml', tmpDir: layout.tmpDir });
    const sup = new Supervisor({
      config,
      ports,
      logs,
      balancerUrl: url,
      baseEnv: { ...stringEnv(io.env), LB_DEV_STATE_DIR: layout.root, LB_DEV_URL: url },
      routes: {
        serviceName: SERVICE_NAME,
        entryPoint: WEB_ENTRYPOINT,
        backendHost: traefik.backendHost,
        balancer: config.balancer,
        defaultCertificate: chosen.mode !== 'external',
        writer,
        api: traefik.apiUrl ? new TraefikApi(traefik.apiUrl) : null,
        confirmTimeoutMs: config.traefik.confirmTimeoutMs,
      },
      lifeline: watchdog,
    });
    supervisor = sup;
    metrics.watchInstances(sup);
    metrics.watchRoutes(sup, sup.routes);
    if (dashboardPort) {
      const running = await startDashboard({
        port: dashboardPort.port, supervisor: sup, operations, requests: () => requests,
        backendHost: traefik.backendHost, balancerUrl: url, stickyCookie: config.balancer.stickyCookie,
      });
      dashboard = running;
      cleanups.push(() => running.close());
      log.info(`dashboard: ${running.url}`);
    }
    const routeLines = routeLog(log, { recentTraefikLines: () => logs.recent(['traefik'], 200) });
    sup.observe(routeLines);
    sup.routes.observe(routeLines);
    // An empty service before Traefik starts (it answers 503, not 404); Traefik is not there yet to confirm it.
    await sup.routes.writeUnconfirmed();
    // Last of all, after Traefik stopped: sup.stopAll() below already wrote (and had Traefik
    // confirm) routes with no servers. Removing the file drops lb-dev's router from a Traefik
    // that outlives us (external mode) instead of leaving one to dead ports.
    cleanups.push(() => writer.remove());

    log.info(`starting Traefik: ${traefik.describe()} (its errors show here; every line: \`lb-dev logs traefik\`)`);
    cleanups.push(() => traefik.stop());
    if (traefik.downReason) {
      // A Traefik of ours is supervised: container removed, binary dead, engine restarted, directory deleted, no ping -> restarted.
      const onProgress = (message: string) => logs.event('traefik', message);
      const traefikPart = new SupervisedService(new TraefikService({ runtime: traefik, layout, routes: sup.routes, onProgress }), { logs });
      cleanups.push(() => traefikPart.stop());
      await traefikPart.start();
    } else {
      await traefik.start((message) => logs.event('traefik', message));
    }
    if (config.traefik.accessLog && chosen.mode !== 'external') {
      const counter = new AccessLogCounter(layout.accessLog);
      counter.start();
      requests = counter;
      cleanups.push(async () => counter.stop());
    }

    if (config.monitoring.prometheus) {
      // After Traefik (a target) and before the instances, so their first events are scraped.
      // Restarted like Traefik when it exits or stops answering /-/ready.
      const prometheus = await createPrometheusPart({
        config, layout, logs, ports, metricsPort: metricsEndpoint?.port ?? null, lifeline: watchdog,
        traefikPort: chosen.mode === 'external' || !traefik.apiUrl ? null : Number(new URL(traefik.apiUrl).port),
      });
      log.info(`starting Prometheus: ${prometheus.service.describe()}`);
      cleanups.push(() => prometheus.part.stop());
      await prometheus.part.start();
      log.info(`Prometheus: ${prometheus.service.url} (scraping lb-dev and Traefik every ${config.monitoring.scrapeIntervalMs / 1000}s)`);
      prometheusUrl = prometheus.service.url;
    }

    const total = config.groups.reduce((n, g) => n + g.instances, 0);
    log.info(`balancer: ${url} -> ${total} instance(s) of ${config.groups.map((g) => `\`${g.command}\``).join(', ')}`);
    if (config.usingDemoApp) {
      log.info('running the built-in demo app; point lb-dev at your app with --command "yarn dev" or a lb-dev.config.yaml (see config/lb-dev.example.yaml)');
    }
    cleanups.push(() => sup.stopAll());
    const progress = new StartupProgress(() => sup.status(), (text) => logs.event('lb-dev', text), io.color ? 2_000 : 5_000);
    sup.observe({ changed: () => progress.update() });
    sup.startAll();
    progress.start();
    cleanups.push(async () => progress.stop());

    await shutdownRequested;
    log.info(`shutting down (${shutdownReason}) ...`);
    await cleanUp();
    logs.event('lb-dev', 'stopped; nothing left running');
    printer.flushNow();
    return 0;
  } catch (error) {
    // The CLI prints the error once, with its code and fix; the JSON log keeps it for tools.
    if (error instanceof LbDevError) log.debug({ code: error.code, details: error.details }, `start-up failed: ${error.message}`);
    await cleanUp();
    throw error;
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

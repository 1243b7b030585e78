/**
 * Traefik and the routes it serves: how it runs (traefik.mode: chosen here), its ports, the
 * route reconciler that owns the dynamic file, then Traefik itself and the watch that brings it back
 * after a fault. Stopped after the instances (their last, empty routes are confirmed while
 * Traefik still runs); the dynamic file goes last, so a Traefik that outlives lb-dev (external
 * mode) drops lb-dev's router instead of keeping one to dead ports.
 */
import { modeLine } from '../../core/traefik/choose-mode.js';
import { serverUrl } from '../../core/traefik/dynamic-config.js';
import { WEB_ENTRYPOINT } from '../../core/traefik/static-config.js';
import { assertPortFree, claimListenPort } from '../../adapters/ports.js';
import { AccessLogCounter } from '../../adapters/traefik/access-log-counter.js';
import { TraefikApi } from '../../adapters/traefik/api-client.js';
import { dashboardMissingText, missingDashboardReason, probeTraefikDashboard } from '../../adapters/traefik/dashboard-probe.js';
import { DynamicConfigWriter } from '../../adapters/traefik/config-writer.js';
import type { RouteSyncStatus } from '../routes/route-events.js';
import { RouteReconciler } from '../routes/route-reconciler.js';
import type { Part, PartStatus } from '../stack/part.js';
import type { StatusReport } from '../status-report.js';
import { type TraefikChoice, chooseTraefik } from '../traefik/choose-traefik.js';
import { createTraefikRuntime, effectiveConfig } from '../traefik/create-runtime.js';
import type { TraefikRuntime } from '../traefik/runtime.js';
import { SupervisedService } from '../supervision/supervised-service.js';
import { TraefikService } from '../traefik/traefik-service.js';
import { type UpContext, started } from './context.js';
import type { LifelinePart } from './lifeline-part.js';

export const SERVICE_NAME = 'lb-dev';

const NO_ROUTES: RouteSyncStatus = { written: [], writtenAt: null, confirmed: null, confirmMs: null, problem: null, writes: 0 };

export class TraefikPart implements Part {
  readonly name = 'traefik';
  private choice: TraefikChoice | null = null;
  private runtime: TraefikRuntime | null = null;
  private reconciler: RouteReconciler | null = null;
  private writer: DynamicConfigWriter | null = null;
  /** A Traefik of ours (container, binary), supervised: restarted after a fault; null for an external one. */
  private service: SupervisedService | null = null;
  private counter: AccessLogCounter | null = null;
  private running = false;

  constructor(
    private readonly ctx: UpContext,
    private readonly lifeline: LifelinePart,
  ) {}

  /** Where the supervisor pushes route changes: it owns the dynamic file and its confirmation. */
  get routes(): RouteReconciler {
    return started(this.reconciler, 'the route reconciler');
  }

  /** How Traefik reaches the instances (127.0.0.1, or host.docker.internal from a container). */
  get backendHost(): string {
    return started(this.runtime, "Traefik's runtime").backendHost;
  }

  /** Traefik's API port when it is lb-dev's own (Prometheus scrapes its /metrics); else null. */
  get apiPort(): number | null {
    const apiUrl = this.runtime?.apiUrl;
    return this.choice?.mode === 'external' || !apiUrl ? null : Number(new URL(apiUrl).port);
  }

  /** Requests per instance from Traefik's access log; null without one. */
  get requests(): AccessLogCounter | null {
    return this.counter;
  }

  backendUrl(port: number): string | null {
    return this.runtime ? serverUrl(this.runtime.backendHost, port) : null;
  }

  async start(): Promise<void> {
    const { config, logs, log } = this.ctx;
    const choice = await chooseTraefik(config, this.ctx.io.env, (message) => logs.event('lb-dev', message));
    this.choice = choice;
    log.info(modeLine(choice.mode, choice.how, choice.why));
    const runtime = await this.createRuntime(choice);
    this.runtime = runtime;
    this.reconciler = this.createReconciler(runtime, choice);
    // An empty service before Traefik starts (it answers 503, not 404); Traefik is not there yet to confirm it.
    await this.reconciler.writeUnconfirmed();
    log.info(`starting Traefik: ${runtime.describe()} (its errors show here; every line: \`lb-dev logs traefik\`)`);
    const onProgress = (message: string) => logs.event('traefik', message);
    if (runtime.downReason) {
      // Container removed, binary dead, engine restarted, directory deleted, no ping: restarted with backoff.
      this.service = new SupervisedService(new TraefikService({ runtime, layout: this.ctx.layout, routes: this.reconciler, onProgress }), { logs });
      await this.service.start();
    } else {
      await runtime.start(onProgress);
    }
    this.running = true;
    if (runtime.apiUrl && choice.mode !== 'external') void this.sayIfNoDashboard(runtime.apiUrl, choice.binary);
    if (config.traefik.accessLog && choice.mode !== 'external') {
      this.counter = new AccessLogCounter(this.ctx.layout.accessLog);
      this.counter.start();
    }
  }

  async stop(): Promise<void> {
    this.counter?.stop();
    this.reconciler?.close();
    this.running = false;
    await this.service?.stop();
    await this.runtime?.stop();
    await this.writer?.remove();
  }

  status(): PartStatus {
    if (this.service) return this.service.status();
    const health = this.running ? 'healthy' : this.runtime ? 'starting' : 'stopped';
    return { name: this.name, health, detail: this.runtime?.describe() ?? 'choosing how to run Traefik', restarts: 0 };
  }

  /** Once per run: a Traefik without its web UI works, but users open /dashboard/ and deserve the reason. */
  private async sayIfNoDashboard(apiUrl: string, binary: string | undefined): Promise<void> {
    const answer = await probeTraefikDashboard(apiUrl);
    if (answer.served || !this.running) return;
    this.ctx.log.warn(dashboardMissingText(apiUrl, answer.answer, await missingDashboardReason(binary), binary));
  }

  /** `status`'s traefik section and its routes. */
  report(): Pick<StatusReport, 'traefik' | 'routes'> {
    const { config } = this.ctx;
    return {
      traefik: {
        mode: this.choice?.mode ?? config.traefik.mode,
        configuredMode: config.traefik.mode,
        why: this.choice?.why ?? 'choosing',
        apiUrl: this.runtime?.apiUrl ?? null,
        description: this.runtime?.describe() ?? 'starting',
      },
      routes: this.reconciler?.status ?? NO_ROUTES,
    };
  }

  /**
   * The runtime for the chosen mode, after what an earlier run left (a container still holding
   * the ports) is gone and the ports are claimed. The API port is only a default unless set: a
   * second lb-dev (another checkout) takes a free one, and the runtime is made again for it.
   */
  private async createRuntime(choice: TraefikChoice): Promise<TraefikRuntime> {
    const { config, layout, logs, log, ports } = this.ctx;
    const runtimeContext = { config: effectiveConfig(config, choice, config.traefik.apiPort), layout, logs, lifeline: this.lifeline.watch };
    let runtime = await createTraefikRuntime(runtimeContext);
    await runtime.removeLeftovers?.((message) => logs.event('traefik', message));
    ports.reserve(config.balancer.port);
    // With an external Traefik the balancer port is that Traefik's own: it is meant to be taken.
    if (choice.mode === 'external') return runtime;
    await assertPortFree(config.balancer.port, config.balancer.host, 'the balancer', '--port or balancer.port');
    const api = await claimListenPort(config.traefik.apiPort, ports, {
      host: config.balancer.host,
      explicit: config.explicit.traefikApiPort,
      what: "Traefik's API",
      setting: 'traefik.apiPort',
    });
    if (api.movedFrom === null) return runtime;
    runtime = await createTraefikRuntime({ ...runtimeContext, config: effectiveConfig(config, choice, api.port) });
    log.info(`Traefik's API port ${api.movedFrom} is taken (another lb-dev?); using a free one: ${runtime.apiUrl} (set traefik.apiPort to pin one)`);
    return runtime;
  }

  private createReconciler(runtime: TraefikRuntime, choice: TraefikChoice): RouteReconciler {
    const { config, layout } = this.ctx;
    this.writer = new DynamicConfigWriter({ dir: layout.dynamicDir, fileName: 'lb-dev.yaml', tmpDir: layout.tmpDir });
    return new RouteReconciler({
      serviceName: SERVICE_NAME,
      entryPoint: WEB_ENTRYPOINT,
      backendHost: runtime.backendHost,
      balancer: config.balancer,
      defaultCertificate: choice.mode !== 'external',
      writer: this.writer,
      api: runtime.apiUrl ? new TraefikApi(runtime.apiUrl) : null,
      confirmTimeoutMs: config.traefik.confirmTimeoutMs,
    });
  }
}

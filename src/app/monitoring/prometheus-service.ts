/**
 * `up --monitoring`: Prometheus on a claimed loopback port, scraping lb-dev's metrics and
 * Traefik's, as a supervised service (src/app/supervision/): it exiting (or its container
 * stopping) or /-/ready failing restarts it with the instances' backoff.
 */
import type { LbDevConfig } from '../../core/config/types.js';
import type { LogHub } from '../../adapters/logs/log-hub.js';
import type { LifelineWatch } from '../../adapters/process/lifeline.js';
import { type PortAllocator, claimListenPort } from '../../adapters/ports.js';
import type { StateLayout } from '../state-dir.js';
import type { ProbeResult, ServiceSpec } from '../supervision/service.js';
import { SupervisedService } from '../supervision/supervised-service.js';
import type { PrometheusRuntime, ScrapeSources } from './prometheus-runtime.js';

export interface MonitoringDeps {
  config: LbDevConfig;
  layout: StateLayout;
  logs: LogHub;
  ports: PortAllocator;
  /** lb-dev's metrics endpoint; null when metrics.port is false. */
  metricsPort: number | null;
  /** Traefik's API port (its /metrics); null for a Traefik that is not ours. */
  traefikPort: number | null;
  lifeline?: LifelineWatch;
}

export class PrometheusService implements ServiceSpec {
  readonly name = 'prometheus';
  readonly label = 'Prometheus';
  readonly impact = 'monitoring is off';

  constructor(
    private readonly runtime: PrometheusRuntime,
    private readonly sources: ScrapeSources,
  ) {}

  get url(): string {
    return this.runtime.url;
  }

  get onDown(): (() => void) | undefined {
    return this.runtime.onDown;
  }

  set onDown(callback: (() => void) | undefined) {
    this.runtime.onDown = callback;
  }

  describe(): string {
    return `${this.runtime.describe()}, ${this.runtime.url}`;
  }

  start(): Promise<void> {
    return this.runtime.start(this.sources);
  }

  async afterStart(): Promise<string> {
    return ` and ready at ${this.runtime.url}`;
  }

  stop(now?: boolean): Promise<void> {
    return this.runtime.stop(now);
  }

  downReason(): string | null {
    return this.runtime.downReason();
  }

  async probe(): Promise<ProbeResult> {
    return (await this.runtime.ready()) ? { ok: true } : { ok: false, reason: `no answer from ${this.runtime.url}/-/ready` };
  }
}

/** Claims the port and chooses how Prometheus runs (PROMETHEUS_UNAVAILABLE when it cannot); nothing is started yet. */
export async function createPrometheusPart(deps: MonitoringDeps): Promise<{ part: SupervisedService; service: PrometheusService }> {
  const { config, layout, logs } = deps;
  // Prometheus and its dockerode client load only for --monitoring.
  const { PrometheusRuntime } = await import('./prometheus-runtime.js');
  const { port } = await claimListenPort(config.monitoring.port, deps.ports, {
    host: '127.0.0.1',
    explicit: true,
    what: 'Prometheus',
    setting: 'monitoring.port',
  });
  const runtime = await PrometheusRuntime.create({ config, layout, logs, port, ...(deps.lifeline ? { lifeline: deps.lifeline } : {}) });
  const service = new PrometheusService(runtime, { metricsPort: deps.metricsPort, traefikPort: deps.traefikPort });
  return { part: new SupervisedService(service, { logs }), service };
}

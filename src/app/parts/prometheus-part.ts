/**
 * The Prometheus of `up --monitoring`, after Traefik (a target) and before the instances, so
 * their first events are scraped; supervised like Traefik (src/app/monitoring/prometheus-service.ts).
 * Off without --monitoring.
 */
import { createPrometheusPart } from '../monitoring/prometheus-service.js';
import type { Part, PartStatus } from '../stack/part.js';
import type { SupervisedService } from '../supervision/supervised-service.js';
import type { UpContext } from './context.js';
import type { LifelinePart } from './lifeline-part.js';
import type { MetricsPart } from './metrics-part.js';
import type { TraefikPart } from './traefik-part.js';

export class PrometheusPart implements Part {
  readonly name = 'prometheus';
  private service: SupervisedService | null = null;
  private address: string | null = null;

  constructor(
    private readonly ctx: UpContext,
    private readonly deps: { lifeline: LifelinePart; metrics: MetricsPart; traefik: TraefikPart },
  ) {}

  get url(): string | null {
    return this.service ? this.address : null;
  }

  async start(): Promise<void> {
    const { config, layout, logs, log, ports } = this.ctx;
    if (!config.monitoring.prometheus) return;
    const prometheus = await createPrometheusPart({
      config,
      layout,
      logs,
      ports,
      lifeline: this.deps.lifeline.watch,
      metricsPort: this.deps.metrics.port,
      traefikPort: this.deps.traefik.apiPort,
    });
    this.service = prometheus.part;
    this.address = prometheus.service.url;
    log.info(`starting Prometheus: ${prometheus.service.describe()}`);
    await prometheus.part.start();
    log.info(`Prometheus: ${prometheus.service.url} (scraping lb-dev and Traefik every ${config.monitoring.scrapeIntervalMs / 1000}s)`);
  }

  async stop(): Promise<void> {
    await this.service?.stop();
  }

  status(): PartStatus {
    if (!this.ctx.config.monitoring.prometheus) return { name: this.name, health: 'off', detail: 'no --monitoring', restarts: 0 };
    return this.service?.status() ?? { name: this.name, health: 'stopped', detail: 'not started', restarts: 0 };
  }
}

/**
 * The Prometheus of `up --monitoring`, after Traefik (a target) and before the instances, so
 * their first events are scraped. Off without --monitoring.
 */
import { startMonitoring } from '../monitoring/start-monitoring.js';
import type { Part, PartStatus } from '../stack/part.js';
import type { UpContext } from './context.js';
import type { LifelinePart } from './lifeline-part.js';
import type { MetricsPart } from './metrics-part.js';
import type { TraefikPart } from './traefik-part.js';

export class PrometheusPart implements Part {
  readonly name = 'prometheus';
  private running: { url: string; stop(): Promise<void> } | null = null;

  constructor(
    private readonly ctx: UpContext,
    private readonly deps: { lifeline: LifelinePart; metrics: MetricsPart; traefik: TraefikPart },
  ) {}

  get url(): string | null {
    return this.running?.url ?? null;
  }

  async start(): Promise<void> {
    const { config, layout, logs, log, ports } = this.ctx;
    if (!config.monitoring.prometheus) return;
    this.running = await startMonitoring({
      config, layout, logs, log, ports, lifeline: this.deps.lifeline.watch,
      metricsPort: this.deps.metrics.port, traefikPort: this.deps.traefik.apiPort,
    });
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = null;
  }

  status(): PartStatus {
    if (!this.ctx.config.monitoring.prometheus) return { name: this.name, health: 'off', detail: 'no --monitoring', restarts: 0 };
    return { name: this.name, health: this.running ? 'healthy' : 'stopped', detail: this.running?.url ?? 'not started', restarts: 0 };
  }
}

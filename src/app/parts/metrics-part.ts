/** lb-dev's metrics endpoint (`metrics.port`; off with false): its own loopback listener. */
import { type MetricsEndpoint, startMetricsEndpoint } from '../metrics/metrics-endpoint.js';
import type { LbDevMetrics } from '../metrics/lb-dev-metrics.js';
import type { Part, PartStatus } from '../stack/part.js';
import type { UpContext } from './context.js';

export class MetricsPart implements Part {
  readonly name = 'metrics';
  private endpoint: MetricsEndpoint | null = null;

  constructor(
    private readonly ctx: UpContext,
    readonly metrics: LbDevMetrics,
  ) {}

  get url(): string | null {
    return this.endpoint?.url ?? null;
  }

  get port(): number | null {
    return this.endpoint?.port ?? null;
  }

  async start(): Promise<void> {
    this.endpoint = await startMetricsEndpoint(this.ctx.config, this.ctx.ports, this.metrics);
    if (this.endpoint) this.ctx.log.info(`metrics: ${this.endpoint.url}`);
  }

  async stop(): Promise<void> {
    await this.endpoint?.close();
    this.endpoint = null;
  }

  status(): PartStatus {
    if (this.ctx.config.metrics.port === false) return { name: this.name, health: 'off', detail: 'metrics.port: false', restarts: 0 };
    return { name: this.name, health: this.endpoint ? 'healthy' : 'stopped', detail: this.endpoint?.url ?? 'not started', restarts: 0 };
  }
}

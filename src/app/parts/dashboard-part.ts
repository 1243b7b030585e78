/** The dashboard (`dashboard.port`; off with false): its server, feed, API and chaos switch. */
import { claimListenPort } from '../../adapters/ports.js';
import { type RunningDashboard, startDashboard } from '../dashboard/start.js';
import type { InstanceOperations } from '../operations.js';
import type { Part, PartStatus } from '../stack/part.js';
import type { UpContext } from './context.js';
import type { InstancesPart } from './instances-part.js';
import type { TraefikPart } from './traefik-part.js';

export class DashboardPart implements Part {
  readonly name = 'dashboard';
  private running: RunningDashboard | null = null;

  constructor(
    private readonly ctx: UpContext,
    private readonly deps: { instances: InstancesPart; traefik: TraefikPart; operations: InstanceOperations },
  ) {}

  get url(): string | null {
    return this.running?.url ?? null;
  }

  async start(): Promise<void> {
    const { config, ports, log, url } = this.ctx;
    if (config.dashboard.port === null) return;
    const claimed = await claimListenPort(config.dashboard.port, ports, {
      host: '127.0.0.1',
      explicit: config.explicit.dashboardPort,
      what: 'the dashboard',
      setting: 'dashboard.port (false = no dashboard)',
    });
    if (claimed.movedFrom) {
      log.warn(`the dashboard's port ${claimed.movedFrom} is taken (another lb-dev?): using ${claimed.port}; set dashboard.port to pin one`);
    }
    const { instances, traefik, operations } = this.deps;
    this.running = await startDashboard({
      port: claimed.port,
      supervisor: instances.supervisor,
      operations,
      requests: () => traefik.requests,
      backendHost: traefik.backendHost,
      balancerUrl: url,
      stickyCookie: config.balancer.stickyCookie,
    });
    log.info(`dashboard: ${this.running.url}`);
  }

  async stop(): Promise<void> {
    await this.running?.close();
    this.running = null;
  }

  status(): PartStatus {
    if (this.ctx.config.dashboard.port === null) return { name: this.name, health: 'off', detail: 'dashboard.port: false', restarts: 0 };
    return {
      name: this.name,
      health: this.running ? 'healthy' : 'stopped',
      detail: this.running ? new URL(this.running.url).host : 'not started',
      restarts: 0,
    };
  }
}

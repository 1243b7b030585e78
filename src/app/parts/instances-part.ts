/**
 * The instances: the supervisor over every group, its route changes pushed to Traefik's reconciler,
 * the route log and metrics following it, start-up progress. Stopped first: every instance
 * retired at once, so the last routes written (and confirmed while Traefik still runs) are empty.
 */
import { RUN_VARIABLE, STATE_DIR_VARIABLE } from '../../core/process-marker.js';
import type { LbDevMetrics } from '../metrics/lb-dev-metrics.js';
import { StartupProgress } from '../progress.js';
import { routeLog } from '../route-log.js';
import type { Part, PartStatus } from '../stack/part.js';
import { Supervisor } from '../supervisor.js';
import { type UpContext, started } from './context.js';
import type { LifelinePart } from './lifeline-part.js';
import type { TraefikPart } from './traefik-part.js';

export class InstancesPart implements Part {
  readonly name = 'instances';
  private sup: Supervisor | null = null;
  private progress: StartupProgress | null = null;

  constructor(
    private readonly ctx: UpContext,
    private readonly deps: { lifeline: LifelinePart; traefik: TraefikPart; metrics: LbDevMetrics },
  ) {}

  get supervisor(): Supervisor {
    return started(this.sup, 'the supervisor');
  }

  /** Null before this part started: the control socket's operations answer "still starting". */
  get supervisorIfStarted(): Supervisor | null {
    return this.sup;
  }

  async start(): Promise<void> {
    const { config, logs, log, io, layout, url } = this.ctx;
    const { traefik, metrics } = this.deps;
    const sup = new Supervisor({
      config,
      ports: this.ctx.ports,
      logs,
      balancerUrl: url,
      routes: traefik.routes,
      lifeline: this.deps.lifeline.watch,
      baseEnv: { ...stringEnv(io.env), [STATE_DIR_VARIABLE]: layout.root, [RUN_VARIABLE]: this.ctx.runId, LB_DEV_URL: url },
    });
    this.sup = sup;
    metrics.watchInstances(sup);
    metrics.watchRoutes(traefik.routes);
    traefik.routes.observe(routeLog(log, { recentTraefikLines: () => logs.recent(['traefik'], 200) }));

    const total = config.groups.reduce((n, g) => n + g.instances, 0);
    log.info(`balancer: ${url} -> ${total} instance(s) of ${config.groups.map((g) => `\`${g.command}\``).join(', ')}`);
    if (config.usingDemoApp) {
      log.info('running the built-in demo app; point lb-dev at your app with --command "yarn dev" or a lb-dev.config.yaml (see config/lb-dev.example.yaml)');
    }
    const progress = new StartupProgress(
      () => sup.status(),
      (text) => logs.event('lb-dev', text),
      io.color ? 2_000 : 5_000,
    );
    this.progress = progress;
    sup.observe({ changed: () => progress.update() });
    sup.startAll();
    progress.start();
  }

  async stop(): Promise<void> {
    this.progress?.stop();
    await this.sup?.stopAll();
  }

  /** A second Ctrl-C: SIGKILL to every tree at once. */
  forceStop(): void {
    for (const instance of this.sup?.instances() ?? []) void instance.forceStop();
  }

  status(): PartStatus {
    const all = this.sup?.status() ?? [];
    const ready = all.filter((i) => i.state === 'ready').length;
    const health = !this.sup ? 'stopped' : ready === all.length ? 'healthy' : ready === 0 ? 'starting' : 'unhealthy';
    return { name: this.name, health, detail: `${ready}/${all.length} ready`, restarts: all.reduce((n, i) => n + i.restarts, 0) };
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * Prometheus in a container from a local image (scripts/provide-prometheus.sh makes one from
 * Debian's package; nothing is pulled). Same network mode as Traefik's container; labelled
 * like it, so a later `up` on this state dir removes it if this one died.
 */
import { createHash } from 'node:crypto';
import { chooseNetworkMode, type ContainerNetwork } from '../../core/traefik/container-spec.js';
import { buildPrometheusContainerSpec, scrapeHost } from '../../core/monitoring/prometheus.js';
import { LbDevError } from '../../core/errors.js';
import { type DockerEngine, type LogFollower, type RunningContainer, managedLabels } from '../../adapters/traefik/docker.js';
import { LOG_SOURCE, type PrometheusContext, type PrometheusProcess } from './prometheus-process.js';

const CONTAINER_DIR = '/prometheus';

export class DockerPrometheus implements PrometheusProcess {
  readonly scrapeHost: string;
  private container: RunningContainer | null = null;
  private follower: LogFollower | null = null;
  private up = false;
  private stopping = false;
  private down: string | null = null;
  onDown: (() => void) | undefined;

  private constructor(
    private readonly ctx: PrometheusContext,
    private readonly engine: DockerEngine,
    private readonly network: ContainerNetwork,
  ) {
    this.scrapeHost = scrapeHost(network);
  }

  static async create(ctx: PrometheusContext, engine: DockerEngine): Promise<DockerPrometheus> {
    const info = await engine.engineInfo();
    const network = chooseNetworkMode(ctx.config.traefik.network, { operatingSystem: info.operatingSystem, osType: info.osType, platform: process.platform });
    return new DockerPrometheus(ctx, engine, network);
  }

  containerName(): string {
    return `lb-dev-prometheus-${createHash('sha256').update(this.ctx.layout.root).digest('hex').slice(0, 12)}`;
  }

  describe(): string {
    return `${this.ctx.config.monitoring.image} in Docker (${this.engine.endpoint}), ${this.network} network`;
  }

  async start(dir: string): Promise<void> {
    const { config, layout, logs, port } = this.ctx;
    // A container of this name left by a run that died would make the create fail.
    await this.engine.removeLabelledContainers({ ...managedLabels(layout.root), 'dev.lb-dev.role': 'prometheus' });
    const spec = buildPrometheusContainerSpec({
      image: config.monitoring.image,
      name: this.containerName(),
      labels: { ...managedLabels(layout.root), 'dev.lb-dev.role': 'prometheus' },
      network: this.network,
      dirHost: dir,
      containerDir: CONTAINER_DIR,
      port,
      ...(process.platform === 'linux' && process.getuid && process.getgid ? { user: `${process.getuid()}:${process.getgid()}` } : {}),
    });
    // By name, before it exists: a SIGKILL of `up` while Docker creates it must not leave it.
    this.ctx.lifeline?.watchContainer(this.containerName());
    try {
      this.container = await this.engine.startContainer(spec);
    } catch (error) {
      throw new LbDevError(
        'PROMETHEUS_START_FAILED',
        `Docker could not start ${this.containerName()} from ${config.monitoring.image}: ${(error as Error).message}`,
      );
    }
    const container = this.container;
    this.up = true;
    this.stopping = false;
    this.down = null;
    this.follower = await container.logs({ stdout: logs.lineWriter(LOG_SOURCE, 'stdout'), stderr: logs.lineWriter(LOG_SOURCE, 'stderr') });
    // The log stream ends when the container stops, is removed, or the engine goes away.
    void this.follower.ended.then(() => {
      if (this.container !== container) return; // an earlier container, replaced on purpose
      this.up = false;
      if (this.stopping) return;
      this.down = `the Prometheus container ${this.containerName()} stopped or was removed`;
      this.onDown?.();
    });
  }

  downReason(): string | null {
    return this.down;
  }

  running(): boolean {
    return this.up;
  }

  async stop(now = false): Promise<void> {
    this.stopping = true;
    this.up = false;
    const container = this.container;
    this.container = null;
    if (container) {
      await container.stop(now ? 0 : 2);
      this.ctx.lifeline?.forgetContainer(this.containerName());
    }
    this.follower?.close();
    this.follower = null;
  }
}

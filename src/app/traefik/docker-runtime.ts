/**
 * `--traefik docker` (the default): Traefik in a container, through the Docker Engine API.
 * Host networking on a native Linux engine; on Docker Desktop a bridge network with the two
 * ports published on 127.0.0.1 and instances reached at host.docker.internal. The state
 * dir's traefik/ directory is bind-mounted whole (a single-file mount would never see our
 * atomic renames).
 */
import { createHash } from 'node:crypto';
import { LbDevError } from '../../core/errors.js';
import { backendHostFor, buildContainerSpec, chooseNetworkMode, containerListenHost, type ContainerNetwork } from '../../core/traefik/container-spec.js';
import { type DockerEngine, type LogFollower, type RunningContainer, connectDocker, managedLabels } from '../../adapters/traefik/docker.js';
import type { RuntimeContext, TraefikRuntime } from './runtime.js';
import { writeStaticConfig } from './static-file.js';
import { waitForTraefik } from './wait-for-traefik.js';

const CONTAINER_DIR = '/etc/lb-dev';

export class DockerTraefikRuntime implements TraefikRuntime {
  readonly mode = 'docker' as const;
  readonly backendHost: string;
  readonly apiUrl: string;
  private container: RunningContainer | null = null;
  private follower: LogFollower | null = null;
  private running = false;
  private stopping = false;
  private down: string | null = null;
  onDown: (() => void) | undefined;

  private constructor(
    private readonly ctx: RuntimeContext,
    private readonly engine: DockerEngine,
    private readonly network: ContainerNetwork,
    private readonly engineDescription: string,
  ) {
    this.backendHost = backendHostFor(network);
    this.apiUrl = `http://127.0.0.1:${ctx.config.traefik.apiPort}`;
  }

  static async create(ctx: RuntimeContext): Promise<DockerTraefikRuntime> {
    const engine = await connectDocker();
    const info = await engine.engineInfo();
    const network = chooseNetworkMode(ctx.config.traefik.network, {
      operatingSystem: info.operatingSystem,
      osType: info.osType,
      platform: process.platform,
    });
    return new DockerTraefikRuntime(ctx, engine, network, `Docker ${info.serverVersion} (${info.operatingSystem})`);
  }

  /** One container name per state dir, so two projects can run side by side. */
  containerName(): string {
    return `lb-dev-traefik-${createHash('sha256').update(this.ctx.layout.root).digest('hex').slice(0, 12)}`;
  }

  describe(): string {
    return `${this.ctx.config.traefik.image} in ${this.engineDescription}, ${this.network} network, API ${this.apiUrl}`;
  }

  /** The container of an earlier run on this state dir whose supervisor died: it still holds both ports. */
  async removeLeftovers(onProgress: (message: string) => void): Promise<void> {
    const removed = await this.engine.removeLabelledContainers(managedLabels(this.ctx.layout.root));
    if (removed.length) onProgress(`removed a Traefik container left by an earlier run that did not stop cleanly: ${removed.join(', ')}`);
  }

  async start(onProgress: (message: string) => void): Promise<void> {
    const { config, layout, logs } = this.ctx;
    const image = config.traefik.image;
    if (!(await this.engine.imageExists(image))) {
      onProgress(`image ${image} is not here; pulling it ...`);
      let last = 0;
      await this.engine
        .pullImage(image, (line) => {
          // Progress events come many per second: show a line at most every 2 s.
          if (Date.now() - last > 2_000) {
            last = Date.now();
            onProgress(`pull: ${line}`);
          }
        })
        .catch((error: unknown) => {
          throw new LbDevError('TRAEFIK_IMAGE_MISSING', `image ${image} is not present and could not be pulled: ${(error as Error).message}`);
        });
    }
    const labels = managedLabels(layout.root);
    await this.removeLeftovers(onProgress);

    await writeStaticConfig(config, layout, {
      dynamicDir: `${CONTAINER_DIR}/dynamic`,
      accessLog: `${CONTAINER_DIR}/access.log`,
      balancerHost: containerListenHost(this.network, config.balancer.host),
      apiHost: containerListenHost(this.network, config.balancer.host),
    });
    const spec = buildContainerSpec({
      image,
      name: this.containerName(),
      labels,
      network: this.network,
      configDirHost: layout.traefikDir,
      containerConfigDir: CONTAINER_DIR,
      balancerPort: config.balancer.port,
      apiPort: config.traefik.apiPort,
      bindHost: config.balancer.host,
      // Files Traefik writes into the mounted dir (the access log) stay the user's own.
      ...(process.platform === 'linux' && process.getuid && process.getgid ? { user: `${process.getuid()}:${process.getgid()}` } : {}),
    });
    // By name, before it exists: a SIGKILL of `up` while Docker creates it must not leave it.
    this.ctx.lifeline?.watchContainer(this.containerName());
    try {
      this.container = await this.engine.startContainer(spec);
    } catch (error) {
      throw new LbDevError('TRAEFIK_START_FAILED', `Docker could not start ${this.containerName()} from ${image}: ${(error as Error).message}`);
    }
    const container = this.container;
    this.running = true;
    this.stopping = false;
    this.down = null;
    this.follower = await container.logs({ stdout: logs.lineWriter('traefik', 'stdout'), stderr: logs.lineWriter('traefik', 'stderr') });
    // The log stream ends when the container stops, is removed, or the engine goes away.
    void this.follower.ended.then(() => {
      if (this.container !== container) return; // an earlier container, replaced on purpose
      this.running = false;
      if (this.stopping) return;
      this.down = `the Traefik container ${this.containerName()} stopped or was removed`;
      this.onDown?.();
    });
    try {
      await waitForTraefik(
        this.apiUrl,
        () => logs.recent(['traefik'], 15).map((l) => l.text),
        () => this.running,
      );
    } catch (error) {
      await this.stop();
      throw error;
    }
    onProgress(`Traefik is up (container ${this.containerName()})`);
  }

  downReason(): string | null {
    return this.down;
  }

  /** Stops and removes the container; the next start() creates a fresh one. */
  async stop(now = false): Promise<void> {
    this.stopping = true;
    const container = this.container;
    this.container = null;
    this.follower?.close();
    this.follower = null;
    if (!container) return;
    await container.stop(now ? 0 : 2);
    this.ctx.lifeline?.forgetContainer(this.containerName());
  }
}

/**
 * The Docker container that runs Traefik for lb-dev, and how it reaches the instances.
 * Pure: returns a plain ContainerSpec; src/adapters/traefik/docker.ts creates the container.
 */
import type { ContainerNetwork, ContainerSpec, ExtraHost } from '../container.js';
import { LbDevError } from '../errors.js';
import { listenAddress } from './static-config.js';

export type { ContainerNetwork } from '../container.js';

export interface ContainerSpecOptions {
  image: string;
  /** Container name (unique per state dir). */
  name: string;
  /** Labels that let a later run find and remove this container. */
  labels: Record<string, string>;
  network: ContainerNetwork;
  /** Host directory holding static.yaml and dynamic/; mounted whole (never single files). */
  configDirHost: string;
  /** Where that directory appears inside the container, e.g. /etc/lb-dev. */
  containerConfigDir: string;
  balancerPort: number;
  apiPort: number;
  /** Host address the ports are published on in bridge mode (127.0.0.1 by default). */
  bindHost: string;
  /** `uid:gid` to run Traefik as, so files it writes (access log) belong to the user; absent = image default. */
  user?: string;
}

export const DOCKER_HOST_ALIAS = 'host.docker.internal';

/** Docker Desktop defines the alias itself; a Linux engine needs it spelled out (Engine >= 20.10). */
export const HOST_GATEWAY: ExtraHost = { name: DOCKER_HOST_ALIAS, address: 'host-gateway' };

export function buildContainerSpec(opts: ContainerSpecOptions): ContainerSpec {
  if (!opts.containerConfigDir.startsWith('/')) {
    throw new LbDevError('INTERNAL', `container spec: expected an absolute containerConfigDir, got ${JSON.stringify(opts.containerConfigDir)}`);
  }
  if (opts.configDirHost.length === 0) {
    throw new LbDevError('INTERNAL', 'container spec: expected a host config directory, got an empty string');
  }
  const containerDir = opts.containerConfigDir.replace(/\/+$/, '');
  const bridge = opts.network === 'bridge';
  const ports = [opts.balancerPort, opts.apiPort];
  // Validates the ports and the bind host in one place.
  if (bridge) for (const port of ports) listenAddress(opts.bindHost, port);
  return {
    name: opts.name,
    image: opts.image,
    cmd: [`--configFile=${containerDir}/static.yaml`],
    labels: { ...opts.labels },
    ...(opts.user ? { user: opts.user } : {}),
    network: opts.network,
    // A directory bind mount: an atomic rename replaces the inode, which a file mount would not see.
    binds: [{ hostPath: opts.configDirHost, containerPath: containerDir }],
    ports: bridge ? ports.map((port) => ({ containerPort: port, hostIp: opts.bindHost, hostPort: port })) : [],
    extraHosts: bridge ? [{ ...HOST_GATEWAY }] : [],
  };
}

export interface EngineFacts {
  /** `docker info` OperatingSystem, e.g. "Debian GNU/Linux 12 (bookworm)" or "Docker Desktop". */
  operatingSystem: string;
  /** `docker info` OSType: "linux" or "windows". */
  osType: string;
  /** Where lb-dev itself runs (process.platform). */
  platform: NodeJS.Platform;
}

/**
 * auto: host networking on a native Linux engine (backends at 127.0.0.1); a bridge with published
 * ports on Docker Desktop or any non-Linux host, where host networking is opt-in or layer 4 only.
 */
export function chooseNetworkMode(requested: 'auto' | ContainerNetwork, engine: EngineFacts): ContainerNetwork {
  if (requested !== 'auto') return requested;
  const nativeLinux = engine.platform === 'linux' && engine.osType.toLowerCase() === 'linux' && !/docker desktop/i.test(engine.operatingSystem);
  return nativeLinux ? 'host' : 'bridge';
}

/** The host Traefik uses to reach the instances in a network mode. */
export function backendHostFor(network: ContainerNetwork): string {
  return network === 'host' ? '127.0.0.1' : DOCKER_HOST_ALIAS;
}

/** Where Traefik listens inside the container: loopback with host networking, all interfaces behind a bridge. */
export function containerListenHost(network: ContainerNetwork, hostAddress: string): string {
  return network === 'host' ? hostAddress : '0.0.0.0';
}

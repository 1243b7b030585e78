/**
 * A container lb-dev runs (Traefik, Prometheus), as plain data: the core builds one
 * (traefik/container-spec.ts, monitoring/prometheus.ts) and src/adapters/traefik/docker.ts
 * turns it into the Docker engine's create options. Types only.
 */

/** host: the host's network stack (native Linux); bridge: Docker's network with published ports. */
export type ContainerNetwork = 'host' | 'bridge';

/** A host directory mounted into the container (a directory: a file mount misses atomic renames). */
export interface BindMount {
  hostPath: string;
  containerPath: string;
}

/** A TCP port of the container published on the host. */
export interface PublishedPort {
  containerPort: number;
  /** The host address it is published on (127.0.0.1: never beyond the machine). */
  hostIp: string;
  hostPort: number;
}

/** A line of the container's /etc/hosts (`docker run --add-host name:address`). */
export interface ExtraHost {
  name: string;
  /** An IP address, or `host-gateway` (the engine puts the host's address there). */
  address: string;
}

export interface ContainerSpec {
  /** Container name (unique per state dir). */
  name: string;
  image: string;
  /** Arguments given to the image's entrypoint. */
  cmd: string[];
  /** Labels that let a later run find and remove this container. */
  labels: Record<string, string>;
  /** Environment variables beyond the image's own; absent = none. */
  env?: Record<string, string>;
  /** `uid:gid` to run as; absent = the image's default user. */
  user?: string;
  network: ContainerNetwork;
  binds: BindMount[];
  /** Published ports (bridge network only: with host networking they are the host's already). */
  ports: PublishedPort[];
  extraHosts: ExtraHost[];
}

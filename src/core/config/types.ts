/**
 * The resolved configuration: every key present, durations in milliseconds. Produced from
 * YAML + flags by resolveConfig() (schema.ts); the rest of lb-dev reads only this shape.
 * The shapes come from the key table (keys.ts), where each key says what it means.
 */
import type { Resolved } from './fields.js';
import type {
  BALANCER_FIELDS,
  GROUP_FIELDS,
  LOGS_FIELDS,
  NETWORK_MODES,
  READINESS_FIELDS,
  RESTART_FIELDS,
  START_ORDERS,
  TOP_FIELDS,
  TRAEFIK_FIELDS,
  TRAEFIK_MODES,
} from './keys.js';

export type TraefikMode = (typeof TRAEFIK_MODES)[number];
/** How the Traefik container reaches the instances: host networking (Linux) or a bridge with published ports (Docker Desktop). */
export type DockerNetworkMode = (typeof NETWORK_MODES)[number];

export type BalancerConfig = Resolved<typeof BALANCER_FIELDS>;
export type TraefikConfig = Resolved<typeof TRAEFIK_FIELDS>;
export type LogsConfig = Resolved<typeof LOGS_FIELDS>;
export type ReadinessConfig = Resolved<typeof READINESS_FIELDS>;
/** HTTP readiness probe; `expectStatus` is an inclusive range. */
export type HttpProbeConfig = NonNullable<ReadinessConfig['http']>;
export type RestartConfig = Resolved<typeof RESTART_FIELDS>;
export type StartOrder = (typeof START_ORDERS)[number];
export type RestartOnConfig = GroupConfig['restartOn'];

export interface GroupConfig extends Omit<Resolved<typeof GROUP_FIELDS>, 'command'> {
  /** Group name; also the instance name prefix (`app` -> app-1, app-2...). */
  name: string;
  /** Shell command line (the built-in demo app's when none is configured), templated with {port} {index} {name} {url}. */
  command: string;
}

export interface LbDevConfig extends Resolved<typeof TOP_FIELDS> {
  /** Absolute path of the state directory (socket, logs, Traefik config). */
  stateDir: string;
  /** The file this config was read from, or null (defaults + flags only). */
  source: string | null;
  /** Instance groups in declaration order; all of them sit behind the one balancer. */
  groups: GroupConfig[];
  /** True when no command was configured and the built-in demo app runs. */
  usingDemoApp: boolean;
  /** Things to say once at start (from the preset). */
  notices?: string[];
  /** Which settings the user wrote rather than left at their default: a default may give way, a setting may not. */
  explicit: ExplicitSettings;
}

export interface ExplicitSettings {
  /** traefik.apiPort was set: taken = PORT_IN_USE; else a free port is used instead of 8080. */
  traefikApiPort: boolean;
  /** traefik.binary was set: it must work; else PATH, then lb-dev's cache, then a download. */
  traefikBinary: boolean;
  /** dashboard.port was set: taken = PORT_IN_USE; else a free port is used instead of 8079. */
  dashboardPort: boolean;
}

/** Flags from `lb-dev up` etc. that override the file. */
export interface ConfigOverrides {
  instances?: number;
  command?: string;
  port?: number;
  /** --api-port, --dashboard-port, --metrics-port: traefik.apiPort, dashboard.port, metrics.port. */
  apiPort?: number;
  dashboardPort?: number;
  metricsPort?: number;
  traefik?: TraefikMode;
  stateDir?: string;
  host?: string;
  /** --monitoring: also run Prometheus. */
  monitoring?: boolean;
  /** preset: rocketchat only: --mode, --mongo-url (or MONGO_URL). */
  mode?: string;
  mongoUrl?: string;
  /** MONGO_URL of the environment: preset rocketchat's database when no --mongo-url (not a flag: ignored without the preset). */
  envMongoUrl?: string;
}

/**
 * The resolved configuration: every key present, durations in milliseconds.
 * Produced from YAML + flags by resolveConfig() (schema.ts); the rest of lb-dev
 * reads only this shape.
 */

export type TraefikMode = 'docker' | 'binary' | 'external';
/** How the Traefik container reaches the instances: host networking (Linux) or a bridge with published ports (Docker Desktop). */
export type DockerNetworkMode = 'auto' | 'host' | 'bridge';

export interface HttpProbeConfig {
  /** Path requested on the instance, e.g. `/api/info`. */
  path: string;
  intervalMs: number;
  timeoutMs: number;
  /** Accepted status codes, inclusive range. */
  expectStatus: { min: number; max: number };
}

export interface ReadinessConfig {
  /** HTTP probe; null = no HTTP probe (then logPattern must be set). */
  http: HttpProbeConfig | null;
  /** Regular expression matched against each output line (ANSI codes stripped); null = none. */
  logPattern: string | null;
  /** How long an instance may take to become ready before it is restarted. Dev builds can take minutes. */
  startTimeoutMs: number;
  /** Consecutive failed probes after ready that make an instance `unhealthy`. */
  failureThreshold: number;
  /** Consecutive good probes that bring an unhealthy instance back. */
  successThreshold: number;
}

export interface RestartConfig {
  /** Restart crashed instances at all. */
  enabled: boolean;
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  /** 0..1: the delay is randomised by +- this fraction. */
  jitter: number;
  /** Uptime after which the backoff starts again from initialDelayMs. */
  resetAfterMs: number;
}

export interface GroupConfig {
  /** Group name; also the instance name prefix (`app` -> app-1, app-2...). */
  name: string;
  /** Shell command line, templated with {port} {index} {name} {url}. */
  command: string;
  instances: number;
  /** Working directory (relative to the config file's directory, or the cwd). */
  cwd: string;
  /** Extra environment, values templated. PORT is always set. */
  env: Record<string, string>;
  /** Extra consecutive ports each instance needs after its own (e.g. 1 for Meteor's Mongo on port+1). */
  reservePorts: number;
  readiness: ReadinessConfig;
  restart: RestartConfig;
  /** SIGTERM -> SIGKILL grace when stopping an instance's process tree. */
  stopGraceMs: number;
}

export interface BalancerConfig {
  /** Address the balancer (Traefik's web entrypoint) listens on. */
  host: string;
  port: number;
  /** Name of the sticky-session cookie; null disables stickiness. */
  stickyCookie: string | null;
  /** Paths routed as WebSocket traffic (their own router, same service). */
  websocketPaths: string[];
  /** Traefik's active health check on each server. */
  healthCheck: { path: string; intervalMs: number; timeoutMs: number } | null;
  /** Traefik's passive health check: a server failing this often within the window is skipped. */
  passiveHealthCheck: { failureWindowMs: number; maxFailedAttempts: number } | null;
  /** Retry middleware for requests that could not connect. */
  retry: { attempts: number; initialIntervalMs: number } | null;
}

export interface TraefikConfig {
  mode: TraefikMode;
  image: string;
  /** Path or name (looked up on PATH) of the traefik executable for mode `binary`. */
  binary: string;
  /** Port of Traefik's API/ping/metrics entrypoint (127.0.0.1 unless balancer.host says otherwise). */
  apiPort: number;
  /** For mode `external`: the user's Traefik API base URL, used to confirm changes; null = do not confirm. */
  apiUrl: string | null;
  network: DockerNetworkMode;
  /** providersThrottleDuration in Traefik's static config. */
  throttleMs: number;
  /** How long to wait for Traefik's API to show a written config. */
  confirmTimeoutMs: number;
  /** Access log in JSON (needed for per-instance request counts). */
  accessLog: boolean;
}

export interface LogsConfig {
  /** Rotate an instance's log file when it reaches this size. */
  maxFileBytes: number;
  /** Rotated files kept per instance. */
  maxFiles: number;
  /** Lines kept in memory per source for `lb-dev logs`. */
  ringBufferLines: number;
}

export interface LbDevConfig {
  /** Absolute path of the state directory (socket, logs, Traefik config). */
  stateDir: string;
  /** The file this config was read from, or null (defaults + flags only). */
  source: string | null;
  balancer: BalancerConfig;
  traefik: TraefikConfig;
  logs: LogsConfig;
  /** Instance groups in declaration order; all of them sit behind the one balancer. */
  groups: GroupConfig[];
  /** True when no command was configured and the built-in demo app runs. */
  usingDemoApp: boolean;
}

/** Flags from `lb-dev up` etc. that override the file. */
export interface ConfigOverrides {
  instances?: number;
  command?: string;
  port?: number;
  traefik?: TraefikMode;
  stateDir?: string;
  host?: string;
}

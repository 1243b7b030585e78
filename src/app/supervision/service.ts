/**
 * A service lb-dev runs beside the instances (Traefik, Prometheus, later MongoDB), as the one
 * supervision driver (supervised-service.ts) sees it: start it, stop it, ask whether it is
 * down, probe its health. Each service says this once (traefik-service.ts, prometheus-service.ts);
 * restarting, backoff, status and the log lines are the driver's.
 */
import type { RestartConfig } from '../../core/config/types.js';
import { RESTART_FIELDS } from '../../core/config/keys.js';
import { readFields } from '../../core/config/fields.js';
import { Problems, Section } from '../../core/config/problems.js';

export type ProbeResult = { ok: true } | { ok: false; reason: string; fatal?: boolean };

export interface ServiceSpec {
  /** The part's name and the log hub source: `traefik`, `prometheus`. */
  readonly name: string;
  /** As written in sentences: `Traefik`. */
  readonly label: string;
  /** What users lose while it is down: `the balancer is down`. */
  readonly impact: string;
  /** Where it runs, one line (status detail). */
  describe(): string;
  /**
   * Starts it and resolves once it does its job; throws a coded error (LbDevError) after
   * undoing what it started. `again`: a restart after a fault (the driver stopped what was left).
   */
  start(again: boolean): Promise<void>;
  /** After a start that succeeded: a few words for the "is back" line (` and serving [...]`), or ''. */
  afterStart?(again: boolean): Promise<string>;
  /**
   * Stops and removes what start() started; safe when it failed, never ran, or already stopped.
   * `now`: without a grace period, it is being replaced after a fault.
   */
  stop(now?: boolean): Promise<void>;
  /** Why it is not running as started (the process exited, the container is gone), or null. */
  downReason(): string | null;
  /** Set by the driver: to be called as soon as downReason() becomes non-null. */
  onDown: (() => void) | undefined;
  /** One health check of a running service (Traefik's ping, Prometheus's /-/ready). */
  probe(): Promise<ProbeResult>;
}

export interface SupervisionPolicy {
  restart: RestartConfig;
  probeIntervalMs: number;
  /** The pace after a probe that passed (default probeIntervalMs); a failed one brings probeIntervalMs back. */
  healthyProbeIntervalMs?: number;
  /** Failed probes in a row that make it restart (a fatal probe failure restarts at once). */
  failureThreshold: number;
}

/** The instances' own restart defaults (group `restart:` keys), read from the key table. */
export const DEFAULT_RESTART: RestartConfig = readFields(Section.empty(new Problems(), ['restart']), RESTART_FIELDS);

/**
 * A healthy service is probed every 5 s (the 1 Hz ping was most of an idle `up`'s CPU; an exit is
 * seen at once without a probe); after a miss, a probe a second, ten misses in a row before a
 * restart (a loaded machine can stall a few seconds).
 */
export const DEFAULT_POLICY: SupervisionPolicy = { restart: DEFAULT_RESTART, probeIntervalMs: 1_000, healthyProbeIntervalMs: 5_000, failureThreshold: 10 };

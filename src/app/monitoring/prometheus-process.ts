/**
 * What each way of running Prometheus (docker-prometheus.ts, binary-prometheus.ts) is given and
 * provides; prometheus-runtime.ts picks one. In a file of its own so neither imports the picker.
 */
import type { LbDevConfig } from '../../core/config/types.js';
import type { LogHub } from '../../adapters/logs/log-hub.js';
import type { LifelineWatch } from '../../adapters/process/lifeline.js';
import type { StateLayout } from '../state-dir.js';

/** The log source of Prometheus's own lines and of lb-dev's events about it. */
export const LOG_SOURCE = 'prometheus';

export interface PrometheusContext {
  config: LbDevConfig;
  layout: StateLayout;
  logs: LogHub;
  port: number;
  /** Told of Prometheus's process group or container, so that a killed `up` leaves neither. */
  lifeline?: LifelineWatch;
}

/** One way of running Prometheus (docker-prometheus.ts, binary-prometheus.ts). */
export interface PrometheusProcess {
  /** How Prometheus reaches a port on the host's loopback. */
  readonly scrapeHost: string;
  describe(): string;
  /** Starts it with the config in `dir` (prometheus.yml, data/). */
  start(dir: string): Promise<void>;
  /** False once it exited (or its container stopped). */
  running(): boolean;
  /** Why it is not running as started (it exited, its container stopped), or null while it runs or was stopped. */
  downReason(): string | null;
  /** Called as soon as downReason() becomes non-null. */
  onDown: (() => void) | undefined;
  /** Stops and removes it; safe when it never started. `now`: no grace period (replaced after a fault). */
  stop(now?: boolean): Promise<void>;
}

/** A way of having Traefik serve lb-dev's routes: a container, a local binary, or the user's own. */
import type { LbDevConfig, TraefikMode } from '../../core/config/types.js';
import type { LogHub } from '../../adapters/logs/log-hub.js';
import type { LifelineWatch } from '../../adapters/process/lifeline.js';
import type { StateLayout } from '../state-dir.js';

/** What each runtime is created with (create-runtime.ts picks the runtime). */
export interface RuntimeContext {
  /** As configured, but with traefik.mode the mode chosen and traefik.binary the executable found. */
  config: LbDevConfig;
  layout: StateLayout;
  logs: LogHub;
  /** Told of a local Traefik's process group and of the container, so a killed `up` leaves neither. */
  lifeline?: LifelineWatch;
}

export interface TraefikRuntime {
  readonly mode: TraefikMode;
  /** How Traefik reaches the instances (`127.0.0.1`, or `host.docker.internal` from a bridge network). */
  readonly backendHost: string;
  /** Base URL of Traefik's API for confirming changes; null when there is none to ask. */
  readonly apiUrl: string | null;
  /** One line for the start-up banner. */
  describe(): string;
  /**
   * Removes what an earlier run on the same state dir left behind (a container whose supervisor
   * was killed). Called before the ports are checked: such a leftover still holds them.
   */
  removeLeftovers?(onProgress: (message: string) => void): Promise<void>;
  /** Starts Traefik and resolves once it answers (ping). Cleans up what it started if that fails. */
  start(onProgress: (message: string) => void): Promise<void>;
  /**
   * Stops and removes what start() started. Safe to call when start() failed or never ran.
   * `now`: no grace period, it is being replaced after a fault.
   */
  stop(now?: boolean): Promise<void>;
  /**
   * A Traefik lb-dev runs (container, binary), supervised (traefik-service.ts): why it is not
   * running as started (the container stopped or was removed, the binary exited), or null while
   * it is. A runtime without it (external) is not supervised. start() after stop() starts a fresh one.
   */
  downReason?(): string | null;
  /** Called as soon as downReason() becomes non-null (so recovery need not wait for a probe). */
  onDown?: (() => void) | undefined;
}

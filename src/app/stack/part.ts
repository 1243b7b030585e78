/**
 * One part of `up` (the control socket, the lifeline, Traefik, the metrics endpoint, the
 * dashboard, Prometheus, the supervisor, later a database). The stack (stack.ts) starts the
 * parts in their declared order and stops the started ones in reverse, on every path: Ctrl-C,
 * an error, `down`, a failed start. `lb-dev status` and the dashboard list the parts' status.
 */

/** How a part is doing, as users see it in `status`. */
export type PartHealth = 'starting' | 'healthy' | 'unhealthy' | 'restarting' | 'stopped' | 'off';

export interface PartStatus {
  name: string;
  health: PartHealth;
  /** One short line: where it runs, or what is wrong. */
  detail: string;
  /** Times it was started again after a fault. */
  restarts: number;
}

export interface Part {
  /** Stable, lower-case: `control`, `lifeline`, `traefik`, `metrics`, `dashboard`, `prometheus`, `instances`. */
  readonly name: string;
  /** Resolves once the part does its job; throws a coded error after undoing what it started. */
  start(): Promise<void>;
  /** Stops what start() started; safe when start() failed part-way or never ran. */
  stop(): Promise<void>;
  status(): PartStatus;
}

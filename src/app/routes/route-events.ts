/**
 * What goes into the route reconciler (a pushed change), what comes out of it (its events and
 * its status), and the words of its problems. The supervisor pushes; observers listen.
 */
import type { RouteServer } from '../../core/traefik/dynamic-config.js';

/** Why the servers that take traffic changed. A failure is written in the same turn; the rest coalesce. */
export type RouteCause = 'failed' | 'joined' | 'drained';

/** One change, carrying everything the reconciler needs: it never asks back. */
export interface RouteChange {
  /** The servers that take traffic now (all of them, not a diff). */
  servers: readonly RouteServer[];
  cause: RouteCause;
  /** The instance whose change this is. */
  instance: string;
  /** When it happened (ms since the epoch); for a failure that was an exit, when the exit was seen. */
  at: number;
  /** The failure was its process exiting: the exit metric is timed from `at`. */
  exited?: boolean;
}

/** An exit a route write (or its confirmation) reflects, timed from the pushed exit. */
export interface ExitTiming {
  name: string;
  /** When the exit was seen (ms since the epoch). */
  at: number;
  /** ms from the exit to the event that carries this. */
  ms: number;
}

export interface RouteSyncStatus {
  /** Names of the instances in the last written config. */
  written: string[];
  writtenAt: number | null;
  /** Whether Traefik's API showed the last written servers; null = not confirmed (yet, or no API). */
  confirmed: boolean | null;
  /** ms from write to Traefik showing it, for the last confirmed write. */
  confirmMs: number | null;
  /** "routes not written: <why> since <time>" or "routes not confirmed: <why> since <time>"; null when fine. */
  problem: string | null;
  /** Writes of new content. */
  writes: number;
  /** The same content written again because Traefik had not shown it (a file event it may have missed). */
  touches?: number;
}

export interface RouteEvents {
  /** New content is in the file: its servers, the file, and the exits it reflects (each on one write only, earliest first). */
  written(servers: RouteServer[], path: string, exits: ExitTiming[]): void;
  /** Traefik had not shown the file: written again unchanged (`attempt` counts from 1 for this change). */
  touched(servers: RouteServer[], attempt: number): void;
  /** Traefik's API shows exactly these servers, `elapsedMs` after they were written; the exits they reflect. */
  confirmed(servers: RouteServer[], elapsedMs: number, exits: ExitTiming[]): void;
  /** Not shown within the confirm timeout (it keeps writing again, with backoff). */
  notConfirmed(servers: RouteServer[], problem: string): void;
  /** A write failed (it is retried with backoff). */
  failed(error: Error): void;
}

/** The former name of the events, for code that still says RouteSyncEvents. */
export type RouteSyncEvents = RouteEvents;

export function emptyRouteStatus(): RouteSyncStatus {
  return { written: [], writtenAt: null, confirmed: null, confirmMs: null, problem: null, writes: 0, touches: 0 };
}

export function notWrittenProblem(error: Error, since: number): string {
  return `routes not written: ${error.message} since ${new Date(since).toISOString()}`;
}

export function notConfirmedProblem(
  timeoutMs: number,
  expected: readonly string[],
  seen: { lastSeen: string[] | null; errors: string[] },
  since: number,
): string {
  const errors = seen.errors.length ? `; errors: ${seen.errors.join('; ')}` : '';
  return (
    `routes not confirmed: Traefik's API did not show the written servers within ${timeoutMs}ms` +
    ` (expected ${JSON.stringify(expected)}, saw ${JSON.stringify(seen.lastSeen)}${errors}) since ${new Date(since).toISOString()}`
  );
}

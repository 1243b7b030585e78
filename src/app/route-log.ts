/** What `up` says about each route change: written, confirmed by Traefik, or why not. */
import type { LogLine } from '../adapters/logs/log-line.js';
import type { RouteSyncEvents } from './route-sync.js';

export interface RouteLogSink {
  info(text: string): void;
  debug(text: string): void;
  warn(text: string): void;
  error(text: string): void;
}

export interface RouteLogSources {
  /** The exits that took instances out of the balancer and that a write of `written` reflects (each once). */
  exitsReflectedIn(written: readonly string[]): Array<{ name: string; at: number }>;
  /** Traefik's recent output lines, oldest first. */
  recentTraefikLines(): LogLine[];
}

/** Exits longer ago than this did not cause a route write (the metrics' exit-to-route figure). */
export const EXIT_FIGURE_WINDOW_MS = 5_000;

export function routeLog(log: RouteLogSink, sources: RouteLogSources, now: () => number = Date.now): RouteSyncEvents {
  return {
    written: (servers) => {
      const names = servers.map((s) => s.name);
      // The figure only for a change an exit caused: a drain, a start or a shutdown has none.
      const exits = sources.exitsReflectedIn(names);
      const first = exits[0];
      const sinceExit = first ? ` (${now() - first.at}ms after ${exits.map((e) => e.name).join(', ')} exited)` : '';
      log.info(`routes -> [${names.join(', ') || 'none: the balancer answers 503'}]${sinceExit}`);
    },
    confirmed: (servers, ms) => log.debug(`Traefik shows the change after ${ms}ms: [${servers.map((s) => s.name).join(', ')}]`),
    notConfirmed: (_servers, problem) => {
      // Traefik reports a rejected file only in its own log, never in its API.
      const rejected = sources.recentTraefikLines().reverse().find((l) => /\bERR\b|error/i.test(l.text) && /watcher|provider|file|config/i.test(l.text));
      log.warn(rejected ? `${problem}; Traefik's last error: ${rejected.text}` : problem);
    },
    failed: (error) => log.error(`writing Traefik's dynamic config failed: ${error.message}`),
  };
}

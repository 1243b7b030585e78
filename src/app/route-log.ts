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
  /** When an instance's process was last seen exiting; null if none has. */
  lastExitAt(): number | null;
  /** Traefik's recent output lines, oldest first. */
  recentTraefikLines(): LogLine[];
}

/** Exits longer ago than this did not cause the write: no figure then. */
export const EXIT_FIGURE_WINDOW_MS = 5_000;

export function routeLog(log: RouteLogSink, sources: RouteLogSources): RouteSyncEvents {
  return {
    written: (servers) => {
      const lastExit = sources.lastExitAt();
      const sinceExit = lastExit !== null && Date.now() - lastExit < EXIT_FIGURE_WINDOW_MS ? ` (${Date.now() - lastExit}ms after the last exit)` : '';
      log.info(`routes -> [${servers.map((s) => s.name).join(', ') || 'none: the balancer answers 503'}]${sinceExit}`);
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

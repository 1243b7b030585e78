/** What `up` says about each route change: written, written again, confirmed by Traefik, or why not. */
import type { LogLine } from '../adapters/logs/log-line.js';
import type { RouteEvents } from './routes/route-events.js';

export interface RouteLogSink {
  info(text: string): void;
  debug(text: string): void;
  warn(text: string): void;
  error(text: string): void;
}

export interface RouteLogSources {
  /** Traefik's recent output lines, oldest first. */
  recentTraefikLines(): LogLine[];
}

/** Observes the route reconciler. */
export type RouteLogObserver = RouteEvents;

export function routeLog(log: RouteLogSink, sources: RouteLogSources): RouteLogObserver {
  return {
    written: (servers, _path, exits) => {
      const names = servers.map((s) => s.name);
      // The figure only for a change an exit caused (timed by the reconciler): a drain, a start or a shutdown has none.
      const first = exits[0];
      const sinceExit = first ? ` (${first.ms}ms after ${exits.map((e) => e.name).join(', ')} exited)` : '';
      log.info(`routes -> [${names.join(', ') || 'none: the balancer answers 503'}]${sinceExit}`);
    },
    touched: (servers, attempt) => {
      log.debug(
        `Traefik does not show [${servers.map((s) => s.name).join(', ')}] yet: wrote the file again (attempt ${attempt}), for a file event it may have missed`,
      );
    },
    confirmed: (servers, ms) => log.debug(`Traefik shows the change after ${ms}ms: [${servers.map((s) => s.name).join(', ')}]`),
    notConfirmed: (_servers, problem) => {
      // Traefik reports a rejected file only in its own log, never in its API.
      // An error of the file provider, e.g. `ERR Error occurred during watcher callback error="...: yaml: ..."
      // providerName=file`; not any line that says "error" and "file" (a dashboard-less binary's warning does).
      const rejected = sources
        .recentTraefikLines()
        .reverse()
        .find((l) => /\bERR\b|level=error/.test(l.text) && /providerName=file|watcher callback/.test(l.text));
      log.warn(rejected ? `${problem}; Traefik's last error: ${rejected.text}` : problem);
    },
    failed: (error) => log.error(`writing Traefik's dynamic config failed: ${error.message}`),
  };
}

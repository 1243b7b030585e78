/** The streaming operations: `logs` (the backlog, then new lines) and `watch` (the status every interval). */
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogHub } from '../../adapters/logs/log-hub.js';
import type { LogLine } from '../../adapters/logs/log-line.js';
import { logHistory } from '../log-history.js';
import type { StatusReport } from '../status-report.js';
import type { Supervisor } from '../supervisor.js';
import type { Operations } from './contract.js';

/** A follower more than this many bytes behind on its socket loses lines (counted) instead of growing our memory. */
const MAX_SOCKET_BACKLOG = 1 << 20;

export interface LogOperationsContext {
  supervisor: () => Supervisor | null;
  logs: LogHub;
  status: () => StatusReport;
  /** Rotated log files kept per source: how far back `logs -n` can read. */
  maxLogFiles: number;
}

export function logOperations(ctx: LogOperationsContext): Pick<Operations, 'logs' | 'watch'> {
  return {
    async logs(params, out) {
      const sources = params.sources?.map((name) => resolveSource(ctx, name)) ?? null;
      const cutoff = params.sinceMs === null ? 0 : Date.now() - params.sinceMs;
      const backlog = await logHistory(ctx.logs, sources, params.lines, ctx.maxLogFiles, cutoff);
      for (const line of backlog) out.send({ line });
      if (!params.follow) return { lines: backlog.length };

      // Lines are dropped (and counted) for a reader that falls behind, twice over: the hub's
      // queue for this follower, and the socket's send buffer.
      let droppedAtSocket = 0;
      let reported = 0;
      const subscription = ctx.logs.subscribe(sources, (line: LogLine) => {
        if (out.buffered() > MAX_SOCKET_BACKLOG) {
          droppedAtSocket++;
          return;
        }
        const dropped = droppedAtSocket + subscription.dropped();
        if (dropped > reported) {
          out.send({ dropped: dropped - reported });
          reported = dropped;
        }
        out.send({ line });
      });
      await out.closed;
      subscription.unsubscribe();
      return null;
    },
    async watch(params, out) {
      while (out.send(ctx.status())) {
        const closed = await Promise.race([out.closed.then(() => true), sleep(params.intervalMs).then(() => false)]);
        if (closed) break;
      }
      return null;
    },
  };
}

/** `2` -> `app-2`; `traefik` and `lb-dev` are sources too. */
function resolveSource(ctx: LogOperationsContext, name: string): string {
  if (name === 'traefik' || name === 'lb-dev') return name;
  const supervisor = ctx.supervisor();
  return supervisor ? supervisor.find(name).name : name;
}

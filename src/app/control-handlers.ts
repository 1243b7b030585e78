/** What the control socket answers: each method maps to the supervisor or the run. */
import { PROTOCOL_VERSION } from '../control/protocol.js';
import type { Handler } from '../control/server.js';
import type { StatusReport } from './status-report.js';

export interface ControlTarget {
  status(): StatusReport;
  /** Begins the same shutdown as Ctrl-C; resolves once it has started. */
  requestShutdown(reason: string): void;
}

export function controlHandlers(target: ControlTarget, extra: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    hello: async () => ({ protocol: PROTOCOL_VERSION, pid: process.pid }),
    status: async () => target.status(),
    down: async () => {
      target.requestShutdown('`lb-dev down` from another terminal');
      return { stopping: true };
    },
    ...extra,
  };
}

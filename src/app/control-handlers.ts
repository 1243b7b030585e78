/** The operations on the run itself (hello, status, down), and the control socket's handlers for all of them. */
import { PROTOCOL_VERSION } from '../control/protocol.js';
import { operationRoutes } from '../control/dispatch.js';
import type { Handler } from '../control/server.js';
import type { InstanceOperations, Operations } from './operations/contract.js';
import type { StatusReport } from './status-report.js';

export interface ControlTarget {
  status(): StatusReport;
  /** Begins the same shutdown as Ctrl-C; resolves once it has started. */
  requestShutdown(reason: string): void;
}

export function runOperations(target: ControlTarget): Pick<Operations, 'hello' | 'status' | 'down'> {
  return {
    hello: async () => ({ protocol: PROTOCOL_VERSION, pid: process.pid }),
    status: async () => target.status(),
    down: async () => {
      target.requestShutdown('`lb-dev down` from another terminal');
      return { stopping: true };
    },
  };
}

/** What the control socket answers: the run's operations and `operations` (operationHandlers), each params checked first. */
export function controlHandlers(target: ControlTarget, operations: InstanceOperations): Record<string, Handler> {
  return operationRoutes({ ...runOperations(target), ...operations });
}

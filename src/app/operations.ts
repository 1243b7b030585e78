/**
 * The operations of a running `up` (contract: src/app/operations/contract.ts), assembled from
 * their parts: those on instances (kill, stop, start, restart, scale), on logs (logs, watch)
 * and on the run (hello, status, down: control-handlers.ts).
 */
import type { LogHub } from '../adapters/logs/log-hub.js';
import { type ControlTarget, runOperations } from './control-handlers.js';
import type { InstanceOperations, Operations } from './operations/contract.js';
import { instanceOperations } from './operations/instance-operations.js';
import { logOperations } from './operations/log-operations.js';
import type { StatusReport } from './status-report.js';
import type { Supervisor } from './supervisor.js';

export type { InstanceOperations, Operations } from './operations/contract.js';
export { invoke } from './operations/invoke.js';
export { OPERATION_PARAMS, parseParams, parseSignal } from './operations/params.js';

export interface OperationsContext {
  /** Null while `up` is still starting. */
  supervisor: () => Supervisor | null;
  logs: LogHub;
  status: () => StatusReport;
  /** Rotated log files kept per source: how far back `logs -n` can read. */
  maxLogFiles: number;
}

/** The operations on instances and logs: what the dashboard calls (and, with the run's, the socket). */
export function operationHandlers(ctx: OperationsContext): InstanceOperations {
  return {
    ...instanceOperations({ supervisor: ctx.supervisor, note: (source, text) => ctx.logs.event(source, text) }),
    ...logOperations(ctx),
  };
}

/** Every operation of a running `up`. */
export function createOperations(ctx: OperationsContext & ControlTarget): Operations {
  return { ...runOperations(ctx), ...operationHandlers(ctx) };
}

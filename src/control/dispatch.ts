/**
 * The control socket's methods: one per operation (src/app/operations/contract.ts). A request
 * that passed the boundary check (validate-request.ts) has its params checked by the
 * operation's validator, the same one the dashboard uses, then reaches the typed method.
 */
import type { OperationName, Operations } from '../app/operations/contract.js';
import { invoke } from '../app/operations/invoke.js';
import type { Handler } from './server.js';

export function operationRoutes(operations: Operations): Record<OperationName, Handler> {
  const route =
    <K extends OperationName>(name: K): Handler =>
    (request) =>
      invoke(operations, name, request.params, request);
  return {
    hello: route('hello'),
    status: route('status'),
    down: route('down'),
    kill: route('kill'),
    stop: route('stop'),
    start: route('start'),
    restart: route('restart'),
    scale: route('scale'),
    logs: route('logs'),
    watch: route('watch'),
  };
}

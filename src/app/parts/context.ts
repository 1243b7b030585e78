/**
 * What every part of `up` shares: the resolved config, the state dir's layout, the logs, lb-dev's
 * own event log, the port allocator (no two parts get one port) and the shutdown request.
 */
import type { LbDevConfig } from '../../core/config/types.js';
import type { ConsolePrinter } from '../../adapters/logs/console-printer.js';
import type { LogHub } from '../../adapters/logs/log-hub.js';
import type { PortAllocator } from '../../adapters/ports.js';
import type { SupervisorLogger } from '../../adapters/logs/event-log.js';
import type { StateLayout } from '../state-dir.js';

export interface UpIo {
  out: NodeJS.WritableStream;
  color: boolean;
  /** Where SIGINT/SIGTERM come from (process in real use). */
  signals: NodeJS.EventEmitter;
  env: NodeJS.ProcessEnv;
}

export interface UpContext {
  config: LbDevConfig;
  layout: StateLayout;
  io: UpIo;
  /** The balancer's address: what users open. */
  url: string;
  startedAt: number;
  /** This `up` among all runs on the state dir: LB_DEV_RUN in every instance's environment (src/core/process-marker.ts). */
  runId: string;
  logs: LogHub;
  printer: ConsolePrinter;
  /** lb-dev's own messages: text to the hub (source `lb-dev`), JSON with fields to logs/lb-dev.jsonl. */
  log: SupervisorLogger;
  ports: PortAllocator;
  /** Begins the orderly shutdown (Ctrl-C, `lb-dev down`); the first reason wins. */
  requestShutdown(reason: string): void;
}

/** A part's value that exists once it has started: asking earlier is a wiring bug. */
export function started<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} is used before its part started (a bug in the part order of src/app/up.ts)`);
  return value;
}

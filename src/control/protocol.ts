/**
 * The control protocol between `lb-dev up` and the other commands: JSON, one message per
 * line, over a unix socket in the state dir. A request gets either one `result` or
 * `error`, or (for streams such as `logs -f`) any number of `data` messages and an `end`.
 *
 * A request may ask for heartbeats (`heartbeatMs`): while it is outstanding, the server sends
 * `{id, heartbeat: true}` every heartbeatMs, so that a client's timeout measures the server's
 * silence rather than how long the request takes. Only a client that asks gets them, and a
 * server that does not know the field ignores it: both ways within PROTOCOL_VERSION 1.
 */
import type { ErrorCode } from '../core/errors.js';

export const PROTOCOL_VERSION = 1;

/** The id of an answer that belongs to no request (unparsable line, refused connection). */
export const UNATTRIBUTED_ID = -1;

/** The heartbeat intervals a server accepts (a shorter one would be a busy loop, a longer one no use). */
export const MIN_HEARTBEAT_MS = 25;
export const MAX_HEARTBEAT_MS = 60_000;

export interface ControlRequest {
  id: number;
  method: string;
  params?: Record<string, unknown>;
  /** Send `{id, heartbeat: true}` every this many ms until the answer (MIN_HEARTBEAT_MS..MAX_HEARTBEAT_MS). */
  heartbeatMs?: number;
}

export type ControlResponse =
  | { id: number; result: unknown }
  | { id: number; error: { code: ErrorCode; message: string; details?: string[] } }
  | { id: number; data: unknown }
  | { id: number; end: true }
  | { id: number; heartbeat: true };

export function encode(message: ControlRequest | ControlResponse): string {
  return `${JSON.stringify(message)}\n`;
}

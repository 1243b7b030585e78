/**
 * The control protocol between `lb-dev up` and the other commands: JSON, one message per
 * line, over a unix socket in the state dir. A request gets either one `result` or
 * `error`, or (for streams such as `logs -f`) any number of `data` messages and an `end`.
 */
import type { ErrorCode } from '../core/errors.js';

export const PROTOCOL_VERSION = 1;

/** The id of an answer that belongs to no request (unparsable line, refused connection). */
export const UNATTRIBUTED_ID = -1;

export interface ControlRequest {
  id: number;
  method: string;
  params?: Record<string, unknown>;
}

export type ControlResponse =
  | { id: number; result: unknown }
  | { id: number; error: { code: ErrorCode; message: string; details?: string[] } }
  | { id: number; data: unknown }
  | { id: number; end: true };

export function encode(message: ControlRequest | ControlResponse): string {
  return `${JSON.stringify(message)}\n`;
}

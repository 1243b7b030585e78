/**
 * The client's boundary check: a reply line becomes a typed ControlResponse or a BAD_REPLY
 * error, never an exception thrown from a socket listener.
 */
import { ERROR_CODES, type ErrorCode, LbDevError } from '../core/errors.js';
import type { ControlResponse } from './protocol.js';
import { describeValue } from './validate-request.js';

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The reply in `line`, or an LbDevError('BAD_REPLY') saying what was wrong with it. */
export function parseReply(line: string): ControlResponse | LbDevError {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return new LbDevError('BAD_REPLY', `expected a JSON reply line from lb-dev, got text that is not JSON (${line.length} characters)`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return new LbDevError('BAD_REPLY', `expected a reply object from lb-dev, got ${describeValue(value)}`);
  }
  const reply = value as Record<string, unknown>;
  if (typeof reply['id'] !== 'number') {
    return new LbDevError('BAD_REPLY', `expected a reply with a numeric "id", got ${describeValue(reply['id'])}`);
  }
  const id = reply['id'];
  if (Object.hasOwn(reply, 'error')) {
    const error = reply['error'] as Record<string, unknown> | null;
    if (typeof error !== 'object' || error === null || typeof error['message'] !== 'string') {
      return new LbDevError('BAD_REPLY', `expected "error" to be {code, message}, got ${describeValue(error)}`);
    }
    const details = Array.isArray(error['details']) ? error['details'].map(String) : [];
    // A code this version does not know (a newer lb-dev): keep it visible in the message.
    const code = isErrorCode(error['code']) ? error['code'] : 'CONTROL_PROTOCOL';
    const message = code === error['code'] ? error['message'] : `${error['message']} [${String(error['code'])}]`;
    return { id, error: { code, message, details } };
  }
  if (Object.hasOwn(reply, 'data')) return { id, data: reply['data'] };
  if (Object.hasOwn(reply, 'result')) return { id, result: reply['result'] };
  if (reply['end'] === true) return { id, end: true };
  if (reply['heartbeat'] === true) return { id, heartbeat: true };
  return new LbDevError('BAD_REPLY', 'expected a reply with "result", "error", "data", "end" or "heartbeat", got none of them');
}

/**
 * The boundary check of the control socket: every line a client sends is parsed and checked
 * here before any handler sees it. Anything else than `{ id, method, params? }` with a known
 * method gets a coded error that says what was expected and what was given.
 */
import type { ControlRequest, ControlResponse } from './protocol.js';
import { MAX_HEARTBEAT_MS, MIN_HEARTBEAT_MS, UNATTRIBUTED_ID } from './protocol.js';

/** A checked request: params always there, heartbeatMs null when none was asked for. */
export type CheckedRequest = Required<Omit<ControlRequest, 'heartbeatMs'>> & { heartbeatMs: number | null };

export type ParsedRequest = { ok: true; request: CheckedRequest } | { ok: false; reply: Extract<ControlResponse, { error: unknown }> };

/** A short, safe description of any JSON value for an error message (never the whole thing). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isHeartbeatMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= MIN_HEARTBEAT_MS && value <= MAX_HEARTBEAT_MS;
}

function bad(id: number, code: 'BAD_REQUEST' | 'CONTROL_PROTOCOL', message: string): ParsedRequest {
  return { ok: false, reply: { id, error: { code, message } } };
}

/** `methods` is the allow-list: only its own keys are methods (never `constructor`, `__proto__`...). */
export function parseRequest(line: string, methods: ReadonlySet<string>): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return bad(UNATTRIBUTED_ID, 'BAD_REQUEST', `expected one JSON request per line, got text that is not JSON (${line.length} characters)`);
  }
  if (!isPlainObject(value)) {
    return bad(UNATTRIBUTED_ID, 'BAD_REQUEST', `expected a request object {"id", "method", "params"}, got ${describeValue(value)}`);
  }
  const id = Object.hasOwn(value, 'id') ? value['id'] : undefined;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return bad(UNATTRIBUTED_ID, 'BAD_REQUEST', `expected "id" to be a whole number >= 0, got ${describeValue(id)}`);
  }
  const method = Object.hasOwn(value, 'method') ? value['method'] : undefined;
  if (typeof method !== 'string') {
    return bad(id, 'BAD_REQUEST', `expected "method" to be a string, got ${describeValue(method)}`);
  }
  if (!methods.has(method)) {
    // CONTROL_PROTOCOL, not BAD_REQUEST: a well-formed request for a method this lb-dev lacks
    // usually means the command and the running lb-dev are different versions.
    return bad(id, 'CONTROL_PROTOCOL', `unknown method ${JSON.stringify(method.length > 40 ? `${method.slice(0, 40)}…` : method)}`);
  }
  const params = Object.hasOwn(value, 'params') ? value['params'] : undefined;
  if (params !== undefined && !isPlainObject(params)) {
    return bad(id, 'BAD_REQUEST', `expected "params" to be an object, got ${describeValue(params)}`);
  }
  const heartbeatMs = Object.hasOwn(value, 'heartbeatMs') ? value['heartbeatMs'] : undefined;
  if (heartbeatMs !== undefined && !isHeartbeatMs(heartbeatMs)) {
    return bad(
      id,
      'BAD_REQUEST',
      `expected "heartbeatMs" to be a whole number from ${MIN_HEARTBEAT_MS} to ${MAX_HEARTBEAT_MS}, got ${describeValue(heartbeatMs)}`,
    );
  }
  return { ok: true, request: { id, method, params: params ?? {}, heartbeatMs: heartbeatMs ?? null } };
}

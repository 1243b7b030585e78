/**
 * The boundary check of the control socket: every line a client sends is parsed and checked
 * here before any handler sees it. Anything else than `{ id, method, params? }` with a known
 * method gets a coded error that says what was expected and what was given.
 */
import type { ControlRequest, ControlResponse } from './protocol.js';
import { UNATTRIBUTED_ID } from './protocol.js';

export type ParsedRequest = { ok: true; request: Required<ControlRequest> } | { ok: false; reply: Extract<ControlResponse, { error: unknown }> };

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
  return { ok: true, request: { id, method, params: params ?? {} } };
}

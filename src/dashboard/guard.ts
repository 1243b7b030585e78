/**
 * What every dashboard request must pass before a route sees it: a Host (and, when sent, an
 * Origin) that is the dashboard's own loopback address - so that another page, or a host
 * name rebound to 127.0.0.1, cannot drive or read it - and, for the API, this run's token.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LbDevError } from '../core/errors.js';
import { hostRefusal } from '../core/text/loopback-host.js';

export const TOKEN_HEADER = 'x-lb-dev-token';
export const MAX_BODY_BYTES = 16 << 10;

/** An answer other than 200: the HTTP status and the coded error in its JSON body. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly error: LbDevError,
  ) {
    super(error.message);
  }
}

export const refuse = (status: number, code: 'DASHBOARD_FORBIDDEN' | 'DASHBOARD_BAD_REQUEST', message: string) =>
  new Refusal(status, new LbDevError(code, message));

/** The Host check every loopback server of lb-dev shares (core/text/loopback-host.ts), then the Origin when one is sent. */
export function checkHost(req: IncomingMessage, hosts: ReadonlySet<string>): void {
  const refusal = hostRefusal(req.headers.host, hosts);
  if (refusal !== null) throw refuse(403, 'DASHBOARD_FORBIDDEN', refusal);
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(origin.toLowerCase().replace(/^http:\/\//, ''))) {
    throw refuse(
      403,
      'DASHBOARD_FORBIDDEN',
      `expected requests from the dashboard's own page (Origin http://${[...hosts][0]}), got Origin ${JSON.stringify(origin)}`,
    );
  }
}

/** The token from the header, or (GET only: EventSource cannot set headers) from ?token=; null when none was sent. */
function givenToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers[TOKEN_HEADER];
  return typeof header === 'string' ? header : req.method === 'GET' ? url.searchParams.get('token') : null;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the request carries this run's token (for the connection limits: no refusal either way). */
export function tokenMatches(req: IncomingMessage, url: URL, token: string): boolean {
  const given = givenToken(req, url);
  return given !== null && sameToken(given, token);
}

export function checkToken(req: IncomingMessage, url: URL, token: string): void {
  const given = givenToken(req, url);
  if (given === null) {
    throw refuse(403, 'DASHBOARD_FORBIDDEN', `expected this run's token in the X-Lb-Dev-Token header${req.method === 'GET' ? ' or ?token=' : ''}, got none`);
  }
  if (!sameToken(given, token)) throw refuse(403, 'DASHBOARD_FORBIDDEN', "expected this run's token, got a different one");
}

/** A JSON object body of at most MAX_BODY_BYTES; an empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'];
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > MAX_BODY_BYTES) throw refuse(413, 'DASHBOARD_BAD_REQUEST', `expected a body of at most ${MAX_BODY_BYTES} bytes, got ${length}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw refuse(413, 'DASHBOARD_BAD_REQUEST', `expected a body of at most ${MAX_BODY_BYTES} bytes, got more`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  if (!type || !/^application\/json\b/i.test(type)) {
    throw refuse(415, 'DASHBOARD_BAD_REQUEST', `expected Content-Type application/json, got ${JSON.stringify(type ?? null)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw refuse(400, 'DASHBOARD_BAD_REQUEST', `expected a JSON body, got invalid JSON (${(error as Error).message})`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw refuse(400, 'DASHBOARD_BAD_REQUEST', `expected a JSON object body, got ${Array.isArray(body) ? 'an array' : JSON.stringify(body)}`);
  }
  return body as Record<string, unknown>;
}

export type FieldType = 'string' | 'number' | 'boolean';

/** Only the named fields, each of its type (or absent). */
export function checkFields(what: string, body: Record<string, unknown>, fields: Readonly<Record<string, FieldType>>): void {
  for (const [key, value] of Object.entries(body)) {
    const type = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (type === undefined) {
      throw refuse(400, 'DASHBOARD_BAD_REQUEST', `${what}: expected only the fields ${Object.keys(fields).join(', ') || '(none)'}, got ${JSON.stringify(key)}`);
    }
    if (value !== null && typeof value !== type) {
      throw refuse(400, 'DASHBOARD_BAD_REQUEST', `${what}: expected ${JSON.stringify(key)} to be a ${type}, got ${JSON.stringify(value)}`);
    }
  }
}

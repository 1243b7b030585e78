/**
 * The one check of every operation's params, from whatever a client sent (a control request's
 * params, a dashboard request's body) to typed Params with the defaults filled in. A bad field
 * is a USAGE error that says what was expected and what was given, the same on every door.
 */
import { MAX_INSTANCES } from '../../core/config/keys.js';
import { LbDevError } from '../../core/errors.js';
import { MAX_DURATION_MS, fitsTimer } from '../../core/text/duration.js';
import { describeValue } from '../../control/validate-request.js';
import { type ChaosOptions, MIN_CHAOS_INTERVAL_MS } from '../chaos.js';
import { KILL_ORIGINS, type KillOrigin, type NoParams, type OperationName, type Params } from './contract.js';

const SIGNALS = new Set(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGSTOP', 'SIGCONT', 'SIGUSR1', 'SIGUSR2', 'SIGABRT']);

const usage = (message: string) => new LbDevError('USAGE', message);
/** Left out, or null (a client's "none"): the default applies. */
const absent = (value: unknown): value is undefined | null => value === undefined || value === null;

export function parseSignal(value: unknown, fallback: NodeJS.Signals): NodeJS.Signals {
  if (absent(value)) return fallback;
  const raw = String(value).toUpperCase();
  const name = raw.startsWith('SIG') ? raw : `SIG${raw}`;
  if (typeof value !== 'string' || !SIGNALS.has(name)) throw usage(`expected a signal such as SIGKILL, SIGTERM or SIGSTOP, got ${JSON.stringify(value)}`);
  return name as NodeJS.Signals;
}

/** The object's fields, refusing any field the operation does not take. */
function fields(operation: string, raw: unknown, known: readonly string[]): Record<string, unknown> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw usage(`${operation}: expected the params to be an object, got ${describeValue(raw)}`);
  }
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      const given = JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
      throw usage(`${operation}: expected only the fields ${known.join(', ') || '(none)'}, got ${given}`);
    }
  }
  // Own fields only: nothing a field's name could reach on a prototype.
  return Object.assign(Object.create(null) as Record<string, unknown>, raw);
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw usage(`expected ${name} to be a non-empty string, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}

const optionalText = (value: unknown, name: string): string | null => (absent(value) ? null : text(value, name));

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (absent(value)) return fallback;
  if (typeof value !== 'boolean') throw usage(`expected ${name} to be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function amount(value: unknown, name: string, fallback: number): number {
  if (absent(value)) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw usage(`expected ${name} to be a number >= 0, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * A delay that reaches a timer (a drain, a watch interval), in ms: from `min` (an interval of 0
 * would be a busy loop) up to the longest a timer waits (above it Node fires after 1 ms).
 */
function delay(value: unknown, name: string, min: number, fallback: number): number {
  if (absent(value)) return fallback;
  if (!fitsTimer(value, min)) {
    throw usage(
      `expected ${name} to be a number of milliseconds from ${min} to ${MAX_DURATION_MS} (about 24.8 days, the longest timer Node.js can set), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** `watch` sends a full status report each interval: faster than this is a flood, not a view. */
export const MIN_WATCH_INTERVAL_MS = 100;

export function wholeIn(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (absent(value)) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw usage(`${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function sources(value: unknown): string[] | null {
  if (absent(value)) return null;
  if (!Array.isArray(value)) throw usage(`expected sources to be a list of names (app-2, 2, traefik, lb-dev), got ${JSON.stringify(value)}`);
  const names = value.map((name, i) => text(name, `sources[${i}]`));
  return names.length ? names : null;
}

function origin(value: unknown): KillOrigin {
  if (absent(value)) return 'kill';
  if (typeof value !== 'string' || !Object.hasOwn(KILL_ORIGINS, value)) {
    throw usage(`expected by to be one of ${Object.keys(KILL_ORIGINS).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as KillOrigin;
}

function none(operation: string, raw: unknown): NoParams {
  fields(operation, raw, []);
  return {};
}

type Validators = { readonly [K in OperationName]: (raw: unknown) => Params<K> };

/** For each operation, its one validator. */
export const OPERATION_PARAMS: Validators = {
  hello: (raw) => none('hello', raw),
  status: (raw) => none('status', raw),
  down: (raw) => none('down', raw),
  kill: (raw) => {
    const p = fields('kill', raw, ['instance', 'random', 'signal', 'by']);
    const random = flag(p['random'], 'random', false);
    const instance = random ? optionalText(p['instance'], 'the instance name') : text(p['instance'], 'the instance name');
    return { instance, random, signal: parseSignal(p['signal'], 'SIGKILL'), by: origin(p['by']) };
  },
  stop: (raw) => ({ instance: text(fields('stop', raw, ['instance'])['instance'], 'the instance name') }),
  start: (raw) => {
    const p = fields('start', raw, ['instance', 'wait']);
    return { instance: text(p['instance'], 'the instance name'), wait: flag(p['wait'], 'wait', true) };
  },
  restart: (raw) => {
    const p = fields('restart', raw, ['instance', 'all', 'rolling', 'drainMs']);
    const all = flag(p['all'], 'all', false);
    return {
      instance: all ? optionalText(p['instance'], 'the instance name') : text(p['instance'], 'the instance name'),
      all,
      rolling: flag(p['rolling'], 'rolling', false),
      drainMs: delay(p['drainMs'], 'drainMs', 0, 1_000),
    };
  },
  scale: (raw) => {
    const p = fields('scale', raw, ['count', 'group', 'drainMs', 'wait']);
    const count = amount(p['count'], 'count', Number.NaN);
    if (!Number.isInteger(count) || count > MAX_INSTANCES) {
      throw usage(`scale: expected a whole number of instances from 0 to ${MAX_INSTANCES}, got ${JSON.stringify(p['count']) ?? 'nothing'}`);
    }
    return { count, group: optionalText(p['group'], 'the group name'), drainMs: delay(p['drainMs'], 'drainMs', 0, 1_000), wait: flag(p['wait'], 'wait', true) };
  },
  logs: (raw) => {
    const p = fields('logs', raw, ['sources', 'lines', 'sinceMs', 'follow']);
    return {
      sources: sources(p['sources']),
      lines: amount(p['lines'], 'lines', 100),
      sinceMs: absent(p['sinceMs']) ? null : amount(p['sinceMs'], 'sinceMs', 0),
      follow: flag(p['follow'], 'follow', false),
    };
  },
  watch: (raw) => ({ intervalMs: delay(fields('watch', raw, ['intervalMs'])['intervalMs'], 'intervalMs', MIN_WATCH_INTERVAL_MS, 1_000) }),
};

export function parseParams<K extends OperationName>(name: K, raw: unknown): Params<K> {
  return OPERATION_PARAMS[name](raw);
}

/**
 * The dashboard's chaos switch (not a socket operation: `lb-dev chaos` runs the same loop in
 * its own process, over `status` and `kill`, and ends with it).
 */
export function parseChaosParams(raw: unknown): ChaosOptions {
  const p = fields('chaos', raw, ['intervalMs', 'keep', 'signal']);
  return {
    intervalMs: wholeIn('intervalMs', p['intervalMs'], MIN_CHAOS_INTERVAL_MS, 3_600_000, 10_000),
    keep: wholeIn('keep', p['keep'], 0, MAX_INSTANCES, 1),
    signal: parseSignal(p['signal'], 'SIGKILL'),
  };
}

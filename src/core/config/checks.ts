/**
 * Value checks for config keys. Each one either converts a raw YAML value or says what it
 * expected, so that the caller can report "<key>: expected <what>, got <value>".
 */
import { DURATION_TOO_LONG, fitsTimer, formatDuration, parseDuration } from '../text/duration.js';
import { parseSize, formatSize } from '../text/size.js';
import { suggest } from '../text/suggest.js';
import { SYNTAX_EXPECTED, patternRefusal } from '../text/user-pattern.js';
import { catastrophicPart } from './safe-regex.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; expected: string; hint?: string };
export type Check<T> = (value: unknown) => Checked<T>;

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (expected: string, hint?: string): Checked<never> => (hint === undefined ? { ok: false, expected } : { ok: false, expected, hint });

export function wholeNumber(min: number, max: number): Check<number> {
  const expected = `a whole number from ${min} to ${max}`;
  return (value) => (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? ok(value) : fail(expected));
}

export function decimal(min: number, max: number): Check<number> {
  const expected = `a number from ${min} to ${max}`;
  return (value) => (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? ok(value) : fail(expected));
}

export const port: Check<number> = (value) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535 ? ok(value) : fail('a port number from 1 to 65535');

export const bool: Check<boolean> = (value) => (typeof value === 'boolean' ? ok(value) : fail('true or false'));

export function text(expected = 'a non-empty string'): Check<string> {
  return (value) => (typeof value === 'string' && value.trim() !== '' ? ok(value.trim()) : fail(expected));
}

export const hostName: Check<string> = (value) =>
  typeof value === 'string' && /^[^\s/]+$/.test(value) ? ok(value) : fail('a host name or IP address like 127.0.0.1 or 0.0.0.0');

export const urlPath: Check<string> = (value) =>
  typeof value === 'string' && value.startsWith('/') && !/\s/.test(value) ? ok(value) : fail('a URL path starting with /, like /api/info');

/** Set by lb-dev for every instance (app/instance.ts, app/up.ts); a value in `env:` would be overwritten or would mislead. */
export const ENV_SET_BY_LB_DEV = ['PORT', 'LB_DEV_INSTANCE', 'LB_DEV_INDEX', 'LB_DEV_STATE_DIR', 'LB_DEV_RUN', 'LB_DEV_URL'] as const;

export const envName: Check<string> = (value) => {
  if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return fail('an environment variable name like ROOT_URL (letters, digits, _)');
  if ((ENV_SET_BY_LB_DEV as readonly string[]).includes(value)) {
    return fail('an environment variable lb-dev does not set itself', `lb-dev sets ${ENV_SET_BY_LB_DEV.join(', ')} for every instance`);
  }
  return ok(value);
};

/** Env values are strings; YAML numbers and booleans (`DEBUG: 1`) are taken as their text. */
export const envValue: Check<string> = (value) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? ok(String(value))
    : fail('a string value (templated with {port} {index} {name} {url})');

export const httpUrl: Check<string> = (value) => {
  const expected = 'an http:// or https:// URL like http://127.0.0.1:8080, or null';
  if (typeof value !== 'string') return fail(expected);
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? ok(value.replace(/\/+$/, '')) : fail(expected);
  } catch {
    return fail(expected);
  }
};

/** `min` in ms: intervals and timeouts must be positive, delays may be 0. */
export function duration(min: number): Check<number> {
  const expected = min > 0 ? `a duration of at least ${formatDuration(min)}, like 500ms, 5s or 1m30s` : 'a duration like 500ms, 5s or 1m30s';
  return (value) => {
    if (typeof value !== 'string' && typeof value !== 'number') return fail(expected);
    try {
      const ms = parseDuration(value);
      if (!fitsTimer(ms)) return fail(DURATION_TOO_LONG);
      return ms >= min ? ok(ms) : fail(expected);
    } catch {
      return fail(expected);
    }
  };
}

export function size(min: number): Check<number> {
  const expected = min > 0 ? `a size of at least ${formatSize(min)}, like 512KB, 10MB or 1GiB` : 'a size like 512KB, 10MB or 1GiB';
  return (value) => {
    if (typeof value !== 'string' && typeof value !== 'number') return fail(expected);
    try {
      const bytes = parseSize(value);
      return bytes >= min ? ok(bytes) : fail(expected);
    } catch {
      return fail(expected);
    }
  };
}

export function oneOf<T extends string>(values: readonly T[]): Check<T> {
  const expected = `one of ${values.join(', ')}`;
  return (value) => {
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return ok(value as T);
    const close = typeof value === 'string' ? suggest(value, values) : undefined;
    return fail(expected, close && `did you mean \`${close}\`?`);
  };
}

export const MAX_PATTERN_LENGTH = 1000;

/**
 * The pattern must compile as a JavaScript regular expression (the reason is shown if not), be at
 * most MAX_PATTERN_LENGTH characters, run on the linear-time engine (text/user-pattern.ts: it
 * runs on every output line), and not nest repetitions (safe-regex.ts).
 */
export const regex: Check<string> = (value) => {
  if (typeof value !== 'string' || value === '') return fail(SYNTAX_EXPECTED);
  if (value.length > MAX_PATTERN_LENGTH) return fail(`a regular expression of at most ${MAX_PATTERN_LENGTH} characters`, `it has ${value.length}`);
  const refusal = patternRefusal(value);
  if (refusal !== undefined) return fail(refusal.expected, refusal.hint);
  const unsafe = catastrophicPart(value);
  if (unsafe !== undefined) {
    return fail(
      'a regular expression without a repeated group that repeats inside or has alternatives starting alike',
      `\`${unsafe}\` can take exponential time on a line that almost matches in a backtracking engine; see docs/configuration.md`,
    );
  }
  return ok(value);
};

/** `200`, `"200"` or `200-399`: an inclusive range of HTTP status codes. */
export const expectStatus: Check<{ min: number; max: number }> = (value) => {
  const expected = 'an HTTP status like 200 or a range like 200-399 (100 to 599)';
  const match = typeof value === 'number' ? /^(\d+)$/.exec(String(value)) : typeof value === 'string' ? /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/.exec(value) : null;
  if (!match) return fail(expected);
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  return min >= 100 && max <= 599 && min <= max ? ok({ min, max }) : fail(expected);
};

/** A range of ports for instances, `20000-29999`: 1024 to 65535, at least 10 ports. */
export const portRange: Check<{ first: number; last: number }> = (value) => {
  const expected = 'a port range like 20000-29999 (from 1024 to 65535, at least 10 ports)';
  const match = typeof value === 'string' ? /^\s*(\d{4,5})\s*-\s*(\d{4,5})\s*$/.exec(value) : null;
  if (!match) return fail(expected);
  const first = Number(match[1]);
  const last = Number(match[2]);
  return first >= 1024 && last <= 65535 && last - first >= 9 ? ok({ first, last }) : fail(expected);
};

/** A cookie name, or false/null for no sticky sessions; true = the default name. */
export function cookieName(defaultName: string): Check<string | null> {
  return (value) => {
    if (value === false || value === null) return ok(null);
    if (value === true) return ok(defaultName);
    return typeof value === 'string' && /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(value) ? ok(value) : fail('a cookie name like lb-dev-server, or false');
  };
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value) => (value === null ? ok(null) : check(value));
}

/** A port to listen on, `auto` (a free one, chosen at start), or with `offToo` false (off). */
export function listenPort(offToo: true): Check<number | 'auto' | false>;
export function listenPort(offToo: false): Check<number | 'auto'>;
export function listenPort(offToo: boolean): Check<number | 'auto' | false> {
  const expected = `a port number from 1 to 65535${offToo ? ', auto or false' : ' or auto'}`;
  return (value) => {
    if (value === 'auto' || (offToo && value === false)) return ok(value);
    return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535 ? ok(value) : fail(expected);
  };
}
/** A port, or false/null for "off" (e.g. no dashboard). */
export const portOrOff: Check<number | null> = (value) =>
  value === false || value === null ? ok(null) : port(value).ok ? ok(value as number) : fail('a port number from 1 to 65535, or false');

/** A group name (`meteor`) or an instance name (`meteor-1`); whether it exists is checked with all groups known (schema.ts). */
export const memberName: Check<string> = (value) =>
  typeof value === 'string' && /^[a-z][a-z0-9-]*$/.test(value) ? ok(value) : fail('a group or instance name like meteor or meteor-1');

export const mongoUrl: Check<string> = (value) =>
  typeof value === 'string' && /^mongodb(\+srv)?:\/\/\S+$/.test(value)
    ? ok(value)
    : fail('a MongoDB URL like mongodb://127.0.0.1:27017/rocketchat?replicaSet=rs0');

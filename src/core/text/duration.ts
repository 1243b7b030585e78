/**
 * Durations as people write them in config (`500ms`, `5s`, `1m30s`) and as Go/Traefik
 * read them. Resolved config holds whole milliseconds.
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** One `<number><unit>` part; `ms` comes before `m` so that `5ms` is not read as `5m` + `s`. */
const PART = /(\d+(?:\.\d+)?|\.\d+)(ms|h|m|s)/y;
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;

/**
 * The longest delay Node's timers can wait (2^31-1 ms, about 24.8 days): setTimeout and
 * setInterval fire a longer one after 1 ms, so a user's "wait 30 days" would be "do not wait".
 * Every duration a user gives that reaches a timer (config keys, flags, operation params) is
 * checked against it at the boundary with `fitsTimer`.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;
export const DURATION_TOO_LONG = `a duration of at most ${formatDuration(MAX_DURATION_MS)} (about 24.8 days, the longest timer Node.js can set)`;

/** True when `ms` is a number a timer waits for as given: finite, from `min` to MAX_DURATION_MS. */
export function fitsTimer(ms: unknown, min = 0): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= min && ms <= MAX_DURATION_MS;
}

export const DURATION_EXPECTED = 'a duration like 250ms, 5s, 1.5s, 2m, 1h or 1m30s (or a number of milliseconds)';

/** `250ms`, `1.5s`, `1m30s`, `1h`, or a plain number of milliseconds -> whole milliseconds. */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new Error(`expected ${DURATION_EXPECTED}, got ${text}`);
    return Math.round(text);
  }
  if (typeof text !== 'string') throw new Error(`expected ${DURATION_EXPECTED}, got ${typeof text}`);
  const source = text.trim();
  if (PLAIN_NUMBER.test(source)) return Math.round(Number(source));
  if (source === '') throw new Error(`expected ${DURATION_EXPECTED}, got an empty string`);

  const part = new RegExp(PART.source, 'y');
  let total = 0;
  while (part.lastIndex < source.length) {
    const match = part.exec(source);
    if (!match) throw new Error(`expected ${DURATION_EXPECTED}, got ${JSON.stringify(text)}`);
    total += Number(match[1]) * UNIT_MS[match[2] as Unit];
  }
  return Math.round(total);
}

/** Whole milliseconds -> the shortest readable form: `250ms`, `1.5s`, `2m5s`, `1h30m`. Also valid Go syntax. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new Error(`expected a finite number of milliseconds, got ${ms}`);
  const whole = Math.round(ms);
  if (whole < 0) return `-${formatDuration(-whole)}`;
  if (whole < 1_000) return `${whole}ms`;
  const hours = Math.floor(whole / UNIT_MS.h);
  const minutes = Math.floor((whole % UNIT_MS.h) / UNIT_MS.m);
  const restMs = whole % UNIT_MS.m;
  let out = '';
  if (hours > 0) out += `${hours}h`;
  if (minutes > 0) out += `${minutes}m`;
  // restMs / 1000 prints as the exact decimal (e.g. 1.234): integers below 60000 divide cleanly.
  if (restMs > 0) out += `${restMs / 1_000}s`;
  return out;
}

/**
 * Milliseconds -> a Go duration string for Traefik's config (`250ms`, `2s`, `1m30s`).
 * Always carries a unit: Traefik reads a bare number as seconds.
 */
export function goDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`expected a non-negative number of milliseconds, got ${ms}`);
  return Math.round(ms) === 0 ? '0s' : formatDuration(ms);
}

/**
 * Elapsed time for people (progress, status, log events): `2.1s`, `12.0s`, `1m05s`, `2h03m`.
 * Tenths of a second below a minute unless `wholeSeconds` (a table column); negative is 0.
 */
export function formatElapsed(ms: number, opts: { wholeSeconds?: boolean } = {}): string {
  if (!Number.isFinite(ms)) throw new Error(`expected a finite number of milliseconds, got ${ms}`);
  const elapsed = Math.max(0, ms);
  const tenths = Math.round(elapsed / 100);
  if (!opts.wholeSeconds && tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const s = Math.round(elapsed / 1_000);
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3_600)}h${String(Math.floor((s % 3_600) / 60)).padStart(2, '0')}m`;
}

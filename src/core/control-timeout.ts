/**
 * How long a command waits for a silent `up` on the control socket: LB_DEV_CONTROL_TIMEOUT, in
 * milliseconds, 10 s when unset. Silence, not duration: `up` sends a heartbeat on a request that
 * takes longer (a rolling restart, `logs -f`), so only an `up` that says nothing at all for this
 * long (stopped by SIGSTOP, paused in a debugger) times out. Pure.
 */
import { LbDevError } from './errors.js';
import { MAX_DURATION_MS } from './text/duration.js';

export const CONTROL_TIMEOUT_ENV = 'LB_DEV_CONTROL_TIMEOUT';
export const DEFAULT_CONTROL_TIMEOUT_MS = 10_000;
/** Below this, the heartbeats that keep a long call alive would come as often as every few ms. */
export const MIN_CONTROL_TIMEOUT_MS = 100;

export const CONTROL_TIMEOUT_EXPECTED = `a whole number of milliseconds from ${MIN_CONTROL_TIMEOUT_MS} to ${MAX_DURATION_MS} (e.g. 30000 for 30 s)`;

/** The variable's value (undefined or empty: unset) as milliseconds, or USAGE naming it, the value and what is accepted. */
export function parseControlTimeout(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_CONTROL_TIMEOUT_MS;
  const text = raw.trim();
  const ms = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!(ms >= MIN_CONTROL_TIMEOUT_MS && ms <= MAX_DURATION_MS)) {
    const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
    throw new LbDevError('USAGE', `${CONTROL_TIMEOUT_ENV}: expected ${CONTROL_TIMEOUT_EXPECTED}, got ${JSON.stringify(shown)}`);
  }
  return ms;
}

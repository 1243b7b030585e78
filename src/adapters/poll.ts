/**
 * The one loop that asks "is it so yet?" until yes, a deadline, or an abort: Traefik's ping
 * at start-up, Traefik's API showing the written routes, a stopped process tree being gone.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /** Backs off: each wait is 1.5 times the last, up to this (for checks that cost, e.g. a scan of the process table). */
  maxIntervalMs?: number;
  /** Stops the polling early (the answer is no longer wanted, e.g. a newer change superseded it). */
  signal?: AbortSignal;
}

export type PollOutcome = 'met' | 'timedOut' | 'aborted';

export interface PollResult {
  outcome: PollOutcome;
  elapsedMs: number;
}

/**
 * Calls `check` at once and then every `intervalMs` until it returns true. A check that
 * throws counts as "not yet": what we wait for may not be up. No wait passes the deadline, so
 * the last check runs at it; a slow answer can make the elapsed time exceed `timeoutMs` a little.
 */
export async function pollUntil(check: () => boolean | Promise<boolean>, options: PollOptions): Promise<PollResult> {
  const started = Date.now();
  const result = (outcome: PollOutcome): PollResult => ({ outcome, elapsedMs: Date.now() - started });
  let interval = options.intervalMs;
  for (;;) {
    if (options.signal?.aborted) return result('aborted');
    let met = false;
    try {
      met = await check();
    } catch {
      met = false;
    }
    if (met) return result('met');
    if (options.signal?.aborted) return result('aborted');
    const left = options.timeoutMs - (Date.now() - started);
    if (left <= 0) return result('timedOut');
    try {
      await sleep(Math.min(interval, left), undefined, { signal: options.signal });
    } catch {
      return result('aborted');
    }
    if (options.maxIntervalMs !== undefined) interval = Math.min(options.maxIntervalMs, interval * 1.5);
  }
}

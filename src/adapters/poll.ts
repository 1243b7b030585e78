/**
 * The one loop that asks "is it so yet?" until yes, a deadline, or an abort: Traefik's ping
 * at start-up, Traefik's API showing the written routes.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
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
 * throws counts as "not yet": what we wait for may not be up. The last check starts before
 * the deadline, so a slow answer can make the elapsed time exceed `timeoutMs` a little.
 */
export async function pollUntil(check: () => boolean | Promise<boolean>, options: PollOptions): Promise<PollResult> {
  const started = Date.now();
  const result = (outcome: PollOutcome): PollResult => ({ outcome, elapsedMs: Date.now() - started });
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
    if (Date.now() - started >= options.timeoutMs) return result('timedOut');
    try {
      await sleep(options.intervalMs, undefined, { signal: options.signal });
    } catch {
      return result('aborted');
    }
  }
}

import type { RestartConfig } from '../config/types.js';

/**
 * Delay before restart number `crashCount` (1 = first crash in a row): exponential from
 * initialDelay, capped at maxDelay, then spread by +-jitter so that instances that crashed
 * together do not restart in lockstep. `random` is injected (0..1) to keep this pure.
 */
export function restartDelayMs(policy: RestartConfig, crashCount: number, random: number): number {
  const exponent = Math.max(0, crashCount - 1);
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** exponent);
  const spread = 1 + policy.jitter * (2 * random - 1);
  return Math.max(0, Math.round(Math.min(policy.maxDelayMs, base * spread)));
}

/**
 * Crashes-in-a-row after an exit: an instance that stayed up for resetAfter is considered
 * healthy again, so its backoff starts over (moby#22283: a backoff that never resets).
 */
export function nextCrashCount(previous: number, uptimeMs: number, policy: RestartConfig): number {
  return uptimeMs >= policy.resetAfterMs ? 1 : previous + 1;
}

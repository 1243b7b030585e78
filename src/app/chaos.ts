/**
 * The chaos loop: every interval, kill one ready instance chosen at random, unless that
 * would leave fewer than `keep` ready. One loop for `lb-dev chaos` (over the control socket)
 * and the dashboard's chaos switch (in-process): each passes in how to list and kill.
 */
import { type ChaosCandidate, pickChaosVictim } from '../core/chaos.js';

/** The shortest time between kills, on every door: below it the loop is a flood of status calls. */
export const MIN_CHAOS_INTERVAL_MS = 100;

export interface ChaosOptions {
  intervalMs: number;
  signal: string;
  keep: number;
}

export type ChaosEvent =
  | { event: 'start'; interval: number; keep: number; signal: string }
  | { event: 'kill'; instance: string; pid: number | null; ready: number; total: number }
  | { event: 'skip'; reason: string }
  | { event: 'stop'; kills: number };

export interface ChaosTarget {
  instances(): Promise<readonly ChaosCandidate[]>;
  kill(instance: string, signal: string): Promise<{ instance: string; pid: number | null }>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Runs until `stop` aborts; reports each step to `onEvent`; resolves with the number of kills. */
export async function runChaos(options: ChaosOptions, target: ChaosTarget, stop: AbortSignal, onEvent: (event: ChaosEvent) => void): Promise<number> {
  let kills = 0;
  onEvent({ event: 'start', interval: options.intervalMs, keep: options.keep, signal: options.signal });
  try {
    while (!stop.aborted) {
      const instances = await target.instances();
      const choice = pickChaosVictim(instances, options.keep, Math.random());
      if (choice.victim !== null) {
        const result = await target.kill(choice.victim, options.signal);
        kills++;
        onEvent({ event: 'kill', instance: result.instance, pid: result.pid, ready: choice.ready, total: instances.length });
      } else {
        onEvent({ event: 'skip', reason: choice.reason });
      }
      await sleep(options.intervalMs, stop);
    }
  } finally {
    onEvent({ event: 'stop', kills });
  }
  return kills;
}

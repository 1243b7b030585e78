import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RestartConfig } from '../../../../src/core/config/types.js';
import { nextCrashCount, restartDelayMs } from '../../../../src/core/instance/backoff.js';

const policy: RestartConfig = {
  enabled: true,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0.2,
  resetAfterMs: 60_000,
};

describe('restartDelayMs', () => {
  const cases: Array<[crash: number, random: number, expected: number]> = [
    [1, 0.5, 500], // no jitter at random = 0.5
    [2, 0.5, 1000],
    [3, 0.5, 2000],
    [7, 0.5, 30_000], // 500 * 64 = 32 s, capped
    [50, 0.5, 30_000], // never overflows
    [1, 0, 400], // -20 %
    [1, 1, 600], // +20 %
    [7, 1, 30_000], // jitter never lifts past the cap
  ];
  for (const [crash, random, expected] of cases) {
    it(`crash #${crash}, random ${random} -> ${expected} ms`, () => {
      assert.equal(restartDelayMs(policy, crash, random), expected);
    });
  }
  it('a zero initial delay restarts at once', () => {
    assert.equal(restartDelayMs({ ...policy, initialDelayMs: 0 }, 5, 0.9), 0);
  });
});

describe('nextCrashCount', () => {
  it('counts crashes in a row', () => assert.equal(nextCrashCount(2, 1_000, policy), 3));
  it('starts over after a stable uptime', () => assert.equal(nextCrashCount(9, 60_000, policy), 1));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pollUntil } from '../../../src/adapters/poll.js';

test('pollUntil: met at the first check without waiting', async () => {
  const result = await pollUntil(() => true, { timeoutMs: 1_000, intervalMs: 500 });
  assert.equal(result.outcome, 'met');
  assert.ok(result.elapsedMs < 100);
});

test('pollUntil: met once the check turns true; a throwing check counts as not yet', async () => {
  let calls = 0;
  const result = await pollUntil(
    () => {
      calls++;
      if (calls === 1) throw new Error('not up yet');
      return calls >= 3;
    },
    { timeoutMs: 2_000, intervalMs: 5 },
  );
  assert.deepEqual({ outcome: result.outcome, calls }, { outcome: 'met', calls: 3 });
});

test('pollUntil: timed out after the deadline', async () => {
  const result = await pollUntil(() => false, { timeoutMs: 60, intervalMs: 10 });
  assert.equal(result.outcome, 'timedOut');
  assert.ok(result.elapsedMs >= 60, `elapsed ${result.elapsedMs}`);
});

test('pollUntil: aborted by its signal, also in the middle of a wait', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  const result = await pollUntil(() => false, { timeoutMs: 5_000, intervalMs: 1_000, signal: controller.signal });
  assert.equal(result.outcome, 'aborted');
  assert.ok(result.elapsedMs < 500, `elapsed ${result.elapsedMs}`);
  assert.equal((await pollUntil(() => true, { timeoutMs: 100, intervalMs: 10, signal: AbortSignal.abort() })).outcome, 'aborted');
});

test('pollUntil: no wait passes the deadline; the last check runs at it', async () => {
  const checks: number[] = [];
  const started = Date.now();
  const result = await pollUntil(
    () => {
      checks.push(Date.now() - started);
      return false;
    },
    { timeoutMs: 150, intervalMs: 300 },
  );
  assert.equal(result.outcome, 'timedOut');
  assert.equal(checks.length, 2, `checks at ${checks.join(', ')} ms`);
  assert.ok(checks[1]! >= 150 && result.elapsedMs < 280, `the last check at ${checks[1]} ms, done after ${result.elapsedMs} ms (not after a whole interval)`);
});

test('pollUntil: maxIntervalMs backs off (x1.5 per wait) up to that', async () => {
  const checks: number[] = [];
  const started = Date.now();
  await pollUntil(
    () => {
      checks.push(Date.now() - started);
      return checks.length === 6;
    },
    { timeoutMs: 5_000, intervalMs: 20, maxIntervalMs: 45 },
  );
  const waits = checks.slice(1).map((at, i) => at - checks[i]!);
  // 20, 30, 45, 45, 45 (timers may fire a little late, never early)
  assert.ok(waits[0]! >= 19 && waits[1]! >= 29 && waits.slice(2).every((wait) => wait >= 44), `waits ${waits.join(', ')}`);
  assert.ok(
    waits.slice(2).every((wait) => wait < 100),
    `capped: waits ${waits.join(', ')}`,
  );
});

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
  const result = await pollUntil(() => {
    calls++;
    if (calls === 1) throw new Error('not up yet');
    return calls >= 3;
  }, { timeoutMs: 2_000, intervalMs: 5 });
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

import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { abortableSleep } from '../../../src/cli/abortable-sleep.js';

test('a loop of sleeps on one signal leaves no abort listener behind (chaos: MaxListenersExceededWarning)', async () => {
  const stop = new AbortController();
  for (let i = 0; i < 50; i++) await abortableSleep(0, stop.signal);
  assert.equal(getEventListeners(stop.signal, 'abort').length, 0);
  const pending = abortableSleep(60_000, stop.signal);
  assert.equal(getEventListeners(stop.signal, 'abort').length, 1);
  stop.abort();
  await pending; // ends at once when aborted
  assert.equal(getEventListeners(stop.signal, 'abort').length, 0);
  await abortableSleep(60_000, stop.signal); // already aborted: returns at once
});

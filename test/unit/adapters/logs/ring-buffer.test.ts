import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RingBuffer } from '../../../../src/adapters/logs/ring-buffer.js';

test('keeps items in order until full', () => {
  const ring = new RingBuffer<number>(3);
  ring.push(1);
  ring.push(2);
  assert.deepEqual(ring.toArray(), [1, 2]);
  assert.equal(ring.size, 2);
  assert.equal(ring.dropped, 0);
});

test('evicts the oldest and counts evictions', () => {
  const ring = new RingBuffer<number>(3);
  for (let i = 1; i <= 10; i++) ring.push(i);
  assert.deepEqual(ring.toArray(), [8, 9, 10]);
  assert.equal(ring.size, 3);
  assert.equal(ring.dropped, 7);
});

test('last(n) gives the newest n, oldest first, clamped to size', () => {
  const ring = new RingBuffer<string>(4);
  for (const s of ['a', 'b', 'c', 'd', 'e']) ring.push(s);
  assert.deepEqual(ring.last(2), ['d', 'e']);
  assert.deepEqual(ring.last(10), ['b', 'c', 'd', 'e']);
  assert.deepEqual(ring.last(0), []);
  assert.deepEqual(ring.last(-1), []);
});

test('capacity 0 keeps nothing and counts every push', () => {
  const ring = new RingBuffer<number>(0);
  ring.push(1);
  ring.push(2);
  assert.deepEqual(ring.toArray(), []);
  assert.equal(ring.dropped, 2);
});

test('clear empties but keeps the eviction count', () => {
  const ring = new RingBuffer<number>(2);
  for (let i = 0; i < 5; i++) ring.push(i);
  ring.clear();
  assert.equal(ring.size, 0);
  assert.equal(ring.dropped, 3);
  ring.push(9);
  assert.deepEqual(ring.toArray(), [9]);
});

test('rejects a bad capacity', () => {
  assert.throws(() => new RingBuffer(-1), RangeError);
  assert.throws(() => new RingBuffer(1.5), RangeError);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedQueue } from '../../../../src/adapters/logs/bounded-queue.js';

test('refuses items beyond its capacity and hands them out oldest first', () => {
  const queue = new BoundedQueue<number>(2);
  assert.deepEqual([queue.offer(1), queue.offer(2), queue.offer(3)], [true, true, false]);
  assert.equal(queue.shift(), 1);
  assert.equal(queue.offer(4), true, 'taking one makes room for one');
  assert.deepEqual(queue.takeAll(), [2, 4]);
  assert.equal(queue.length, 0);
  assert.equal(queue.shift(), undefined);
});

test('keeps its order across the cuts of a long run of takes', () => {
  const queue = new BoundedQueue<number>(10_000);
  let next = 0;
  let expected = 0;
  for (let round = 0; round < 5; round++) {
    while (queue.offer(next)) next++;
    for (let i = 0; i < 3_000; i++) assert.equal(queue.shift(), expected++);
  }
  assert.equal(queue.length, next - expected);
  assert.deepEqual(queue.takeAll().slice(0, 2), [expected, expected + 1]);
});

test('clear() empties it', () => {
  const queue = new BoundedQueue<string>(3);
  queue.offer('a');
  queue.clear();
  assert.equal(queue.length, 0);
  assert.equal(queue.offer('b'), true);
});

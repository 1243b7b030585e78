import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type InstanceSnapshot, diffInstances } from '../../../../src/core/dashboard/timeline.js';

const ready: InstanceSnapshot = { name: 'app-1', state: 'ready', pid: 10, restarts: 0, inBalancer: true, desired: 'running', lastExit: null };
const kinds = (before: InstanceSnapshot[], after: InstanceSnapshot[]) => diffInstances(before, after, 1).map((e) => `${e.kind} ${e.text}`);

test('a crash: crashed with its signal, and out of the balancer', () => {
  const crashed = { ...ready, state: 'crashed', pid: null, inBalancer: false, lastExit: { code: null, signal: 'SIGKILL', at: 5 } };
  assert.deepEqual(kinds([ready], [crashed]), ['crashed app-1 crashed: signal SIGKILL', 'drained app-1 left the balancer']);
});

test('the restart after a crash, then ready and back in', () => {
  const crashed = { ...ready, state: 'crashed', pid: null, inBalancer: false, lastExit: { code: 1, signal: null, at: 5 } };
  const due = { ...crashed, state: 'starting', restarts: 1 };
  const starting = { ...due, pid: 11 };
  assert.deepEqual(kinds([crashed], [due]), ['restarted app-1 restarting (restart #1)']);
  assert.deepEqual(kinds([due], [starting]), ['started app-1 started (pid 11)']);
  assert.deepEqual(kinds([starting], [{ ...starting, state: 'ready', inBalancer: true }]), ['ready app-1 ready', 'admitted app-1 joined the balancer']);
});

test('a stop, a first start, and instances added and removed by scale', () => {
  const stopped = { ...ready, state: 'stopped', pid: null, inBalancer: false, desired: 'stopped', lastExit: { code: 0, signal: null, at: 7 } };
  assert.deepEqual(kinds([ready], [stopped]), ['stopped app-1 stopped', 'drained app-1 left the balancer']);
  assert.deepEqual(kinds([{ ...ready, pid: null, state: 'starting', inBalancer: false }], [{ ...ready, state: 'starting', inBalancer: false }]), [
    'started app-1 started (pid 10)',
  ]);
  assert.deepEqual(kinds([ready], [ready, { ...ready, name: 'app-2', pid: null, state: 'starting', inBalancer: false }]), ['added app-2 added']);
  assert.deepEqual(kinds([ready, { ...ready, name: 'app-2' }], [ready]), ['removed app-2 removed']);
});

test('nothing changed: no events', () => {
  assert.deepEqual(kinds([ready], [{ ...ready }]), []);
});

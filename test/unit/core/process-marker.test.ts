// The markers of a state dir, a run and an instance, as environment entries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { instanceMarker, runIdOf, runMarker, stateDirMarker } from '../../../src/core/process-marker.js';

test('a run id names the up (pid, start); the markers narrow from state dir to run to instance', () => {
  assert.equal(runIdOf(4242, 1733560000123), '4242-1733560000123');
  assert.deepEqual(stateDirMarker('/a b/.lb-dev'), ['LB_DEV_STATE_DIR=/a b/.lb-dev']);
  assert.deepEqual(runMarker('/s', '1-2'), ['LB_DEV_STATE_DIR=/s', 'LB_DEV_RUN=1-2']);
  assert.deepEqual(instanceMarker({ LB_DEV_STATE_DIR: '/s', LB_DEV_RUN: '1-2', LB_DEV_INSTANCE: 'app-1', PORT: '3000' }), [
    'LB_DEV_STATE_DIR=/s',
    'LB_DEV_RUN=1-2',
    'LB_DEV_INSTANCE=app-1',
  ]);
});

test('no instance marker without the state dir and the run: the name alone would match other runs', () => {
  assert.equal(instanceMarker({ LB_DEV_INSTANCE: 'app-1' }), null);
  assert.equal(instanceMarker({ LB_DEV_STATE_DIR: '/s', LB_DEV_INSTANCE: 'app-1' }), null);
  assert.equal(instanceMarker({ LB_DEV_STATE_DIR: '/s', LB_DEV_RUN: '', LB_DEV_INSTANCE: 'app-1' }), null);
  assert.equal(instanceMarker({ LB_DEV_STATE_DIR: '/s', LB_DEV_RUN: '1-2' }), null);
});

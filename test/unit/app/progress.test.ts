import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstanceStatus } from '../../../src/app/instance.js';
import { progressLine } from '../../../src/app/progress.js';

const base: InstanceStatus = {
  name: 'app-1',
  group: 'app',
  index: 1,
  pid: 1,
  port: 1,
  extraPorts: [],
  state: 'starting',
  desired: 'running',
  inBalancer: false,
  restarts: 0,
  crashesInARow: 0,
  startedAt: 0,
  readyAt: null,
  nextRestartAt: null,
  lastExit: null,
};

describe('progressLine', () => {
  it('says which are starting (with elapsed time), ready (with the time it took) and crashed', () => {
    const line = progressLine(
      [{ ...base }, { ...base, name: 'app-2', state: 'ready', readyAt: 2_100 }, { ...base, name: 'app-3', state: 'crashed', nextRestartAt: 13_000 }],
      12_000,
    );
    assert.equal(line, '1/3 ready: app-1 starting 12.0s, app-2 ready (2.1s), app-3 crashed (restart in 1.0s)');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type InstanceChange, type InstanceSnapshot, instanceChanges } from '../../../../src/core/metrics/instance-changes.js';

const base: InstanceSnapshot = {
  name: 'app-1',
  group: 'app',
  state: 'starting',
  desired: 'running',
  restarts: 0,
  startedAt: 1_000,
  readyAt: null,
  lastExit: null,
};
const at = (over: Partial<InstanceSnapshot>): InstanceSnapshot => ({ ...base, ...over });
const exit = (code: number | null, signal: string | null, when: number) => ({ code, signal, at: when });

describe('instanceChanges', () => {
  const cases: Array<[string, InstanceSnapshot | undefined, InstanceSnapshot, InstanceChange[]]> = [
    ['nothing changed', base, base, []],
    ['became ready: spawn -> ready time', base, at({ state: 'ready', readyAt: 1_250 }), [{ type: 'ready', afterMs: 250 }]],
    ['still ready: not counted again', at({ state: 'ready', readyAt: 1_250 }), at({ state: 'ready', readyAt: 1_250 }), []],
    [
      'healthy again after unhealthy keeps readyAt: not a new readiness',
      at({ state: 'unhealthy', readyAt: 1_250 }),
      at({ state: 'ready', readyAt: 1_250 }),
      [],
    ],
    [
      'exit while meant to run: a crash, with its code',
      at({ state: 'ready' }),
      at({ state: 'crashed', lastExit: exit(1, null, 2_000) }),
      [{ type: 'crashed', code: 1, signal: null }],
    ],
    [
      'killed by a signal',
      at({ state: 'ready' }),
      at({ state: 'crashed', lastExit: exit(null, 'SIGKILL', 2_000) }),
      [{ type: 'crashed', code: null, signal: 'SIGKILL' }],
    ],
    ['exit after a stop was asked: not a crash', at({ desired: 'stopped' }), at({ desired: 'stopped', state: 'stopped', lastExit: exit(0, null, 2_000) }), []],
    [
      'the same exit seen again: counted once',
      at({ state: 'crashed', lastExit: exit(1, null, 2_000) }),
      at({ state: 'crashed', lastExit: exit(1, null, 2_000) }),
      [],
    ],
    ['a restart', at({ state: 'crashed' }), at({ restarts: 1 }), [{ type: 'restarted', count: 1 }]],
    ['first sight of an instance that already restarted', undefined, at({ restarts: 2 }), [{ type: 'restarted', count: 2 }]],
    ['a new instance under a reused name starts from 0', at({ restarts: 5 }), at({ restarts: 1 }), [{ type: 'restarted', count: 1 }]],
  ];
  for (const [what, before, after, expected] of cases) it(what, () => assert.deepEqual(instanceChanges(before, after), expected));
});

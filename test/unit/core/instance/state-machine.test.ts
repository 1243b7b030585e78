import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RestartConfig } from '../../../../src/core/config/types.js';
import {
  type Effect,
  type InstanceEvent,
  type InstanceState,
  type TransitionContext,
  initialState,
  takesTraffic,
  transition,
} from '../../../../src/core/instance/state-machine.js';

const restart: RestartConfig = {
  enabled: true,
  initialDelayMs: 1000,
  maxDelayMs: 8000,
  multiplier: 2,
  jitter: 0,
  resetAfterMs: 60_000,
};
const ctx = (now: number, over: Partial<TransitionContext> = {}): TransitionContext => ({
  now,
  restart,
  failureThreshold: 2,
  successThreshold: 1,
  random: 0.5,
  ...over,
});

/** Runs events in order (one ms apart unless `at` is given) and returns the final state and all effects. */
function run(events: Array<InstanceEvent | [number, InstanceEvent]>, from = initialState(), over: Partial<TransitionContext> = {}) {
  let state: InstanceState = from;
  const effects: Effect[] = [];
  let now = 0;
  for (const item of events) {
    const [at, event] = Array.isArray(item) ? item : [now + 1, item];
    now = at;
    const result = transition(state, event, ctx(now, over));
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects, types: effects.map((e) => e.type) };
}

const exit = (code: number | null = 1, signal: string | null = null): InstanceEvent => ({ type: 'exited', code, signal, portConflict: false });

describe('instance state machine', () => {
  const table: Array<{ name: string; events: Array<InstanceEvent | [number, InstanceEvent]>; phase: string; traffic: boolean; effects?: string[] }> = [
    { name: 'start spawns', events: [{ type: 'start' }], phase: 'starting', traffic: false, effects: ['cancelRestart', 'spawn'] },
    { name: 'spawned is still starting', events: [{ type: 'start' }, { type: 'spawned' }], phase: 'starting', traffic: false },
    {
      name: 'ready joins the balancer',
      events: [{ type: 'start' }, { type: 'spawned' }, { type: 'ready' }],
      phase: 'ready',
      traffic: true,
      effects: ['cancelRestart', 'spawn', 'routesChanged', 'log'],
    },
    {
      name: 'one failed probe is tolerated',
      events: [{ type: 'start' }, { type: 'spawned' }, { type: 'ready' }, { type: 'probeFailed', reason: 'timeout' }],
      phase: 'ready',
      traffic: true,
    },
    {
      name: 'failures up to the threshold make it unhealthy',
      events: [{ type: 'start' }, { type: 'spawned' }, { type: 'ready' }, { type: 'probeFailed', reason: 'x' }, { type: 'probeFailed', reason: 'x' }],
      phase: 'unhealthy',
      traffic: false,
    },
    {
      name: 'a good probe in between resets the count',
      events: [
        { type: 'start' },
        { type: 'spawned' },
        { type: 'ready' },
        { type: 'probeFailed', reason: 'x' },
        { type: 'probeOk' },
        { type: 'probeFailed', reason: 'x' },
      ],
      phase: 'ready',
      traffic: true,
    },
    {
      name: 'unhealthy recovers on a good probe',
      events: [
        { type: 'start' },
        { type: 'spawned' },
        { type: 'ready' },
        { type: 'probeFailed', reason: 'x' },
        { type: 'probeFailed', reason: 'x' },
        { type: 'probeOk' },
      ],
      phase: 'ready',
      traffic: true,
    },
    {
      name: 'a crash leaves the balancer and schedules a restart',
      events: [{ type: 'start' }, { type: 'spawned' }, { type: 'ready' }, exit(1)],
      phase: 'crashed',
      traffic: false,
    },
    { name: 'restartDue spawns again', events: [{ type: 'start' }, { type: 'spawned' }, exit(1), { type: 'restartDue' }], phase: 'starting', traffic: false },
    {
      name: 'stop while ready leaves the balancer first, then kills',
      events: [{ type: 'start' }, { type: 'spawned' }, { type: 'ready' }, { type: 'stop' }],
      phase: 'ready',
      traffic: false,
    },
    {
      name: 'an exit after stop is stopped, not crashed',
      events: [{ type: 'start' }, { type: 'spawned' }, { type: 'ready' }, { type: 'stop' }, exit(null, 'SIGTERM')],
      phase: 'stopped',
      traffic: false,
    },
    {
      name: 'stop while a restart is pending stays stopped',
      events: [{ type: 'start' }, { type: 'spawned' }, exit(1), { type: 'stop' }, { type: 'restartDue' }],
      phase: 'stopped',
      traffic: false,
    },
    {
      name: 'a late ready after exit is ignored',
      events: [{ type: 'start' }, { type: 'spawned' }, exit(1), { type: 'ready' }],
      phase: 'crashed',
      traffic: false,
    },
    {
      name: 'drain holds a ready instance out',
      events: [{ type: 'start' }, { type: 'spawned' }, { type: 'ready' }, { type: 'drain', drained: true }],
      phase: 'ready',
      traffic: false,
    },
    {
      name: 'start timeout kills',
      events: [{ type: 'start' }, { type: 'spawned' }, { type: 'startTimedOut' }],
      phase: 'starting',
      traffic: false,
      effects: ['cancelRestart', 'spawn', 'kill'],
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const { state, types } = run(row.events);
      assert.equal(state.phase, row.phase);
      assert.equal(takesTraffic(state), row.traffic);
      if (row.effects) assert.deepEqual(types, row.effects);
    });
  }

  it('a probe that changes nothing returns the same state object (nothing downstream wakes)', () => {
    const ready = run([{ type: 'start' }, { type: 'spawned' }, { type: 'ready' }]).state;
    assert.equal(ready.phase, 'ready');
    assert.equal(transition(ready, { type: 'probeOk' }, ctx(10)).state, ready);
    const failedOnce = transition(ready, { type: 'probeFailed', reason: 'x' }, ctx(11)).state;
    assert.notEqual(failedOnce, ready);
    assert.notEqual(transition(failedOnce, { type: 'probeOk' }, ctx(12)).state, failedOnce, 'resetting the failure count is a change');
    const unhealthy = run(
      [
        { type: 'probeFailed', reason: 'x' },
        { type: 'probeFailed', reason: 'x' },
      ],
      ready,
    ).state;
    assert.equal(unhealthy.phase, 'unhealthy');
    assert.equal(transition(unhealthy, { type: 'probeFailed', reason: 'x' }, ctx(13)).state, unhealthy);
  });

  it('leaving the balancer always says routesChanged, before the kill', () => {
    const { types } = run([{ type: 'start' }, { type: 'spawned' }, { type: 'ready' }, { type: 'stop' }]);
    assert.deepEqual(types.slice(-3), ['routesChanged', 'cancelRestart', 'kill']);
  });

  it('backs off exponentially while crashing in a row, and resets after stable uptime', () => {
    const delays: number[] = [];
    let state = initialState();
    let now = 0;
    const step = (event: InstanceEvent, at: number) => {
      now = at;
      const r = transition(state, event, ctx(now));
      state = r.state;
      for (const e of r.effects) if (e.type === 'scheduleRestart') delays.push(e.delayMs);
    };
    step({ type: 'start' }, 0);
    for (let i = 0; i < 5; i++) {
      step({ type: 'spawned' }, now + 1);
      step(exit(1), now + 100);
      step({ type: 'restartDue' }, now + 1);
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 8000]);
    step({ type: 'spawned' }, now + 1);
    step(exit(1), now + 60_000);
    assert.equal(delays.at(-1), 1000);
    assert.equal(state.restarts, 5);
  });

  it('a crash loop is said in the log line', () => {
    const { effects } = run([
      { type: 'start' },
      { type: 'spawned' },
      exit(1),
      { type: 'restartDue' },
      { type: 'spawned' },
      exit(1),
      { type: 'restartDue' },
      { type: 'spawned' },
      exit(2),
    ]);
    const last = effects.filter((e): e is Extract<Effect, { type: 'log' }> => e.type === 'log').at(-1);
    assert.match(last?.text ?? '', /exited with code 2; restarting in .*crash loop: 3 crashes in a row/);
    assert.equal(last?.level, 'error');
  });

  it('a port conflict respawns at once on a new port without counting a crash', () => {
    const { state, effects } = run([{ type: 'start' }, { type: 'spawned' }, { type: 'exited', code: 1, signal: null, portConflict: true }]);
    assert.equal(state.phase, 'starting');
    assert.equal(state.crashesInARow, 0);
    assert.deepEqual(
      effects.find((e) => e.type === 'spawn' && e.newPort),
      { type: 'spawn', newPort: true },
    );
  });

  it('with restart disabled a crash stays stopped', () => {
    const { state } = run([{ type: 'start' }, { type: 'spawned' }, exit(1)], initialState(), { restart: { ...restart, enabled: false } });
    assert.equal(state.phase, 'stopped');
    assert.equal(state.desired, 'stopped');
  });

  it('a spawn error that would repeat (missing cwd, E2BIG, NUL byte) stops with its reason instead of looping', () => {
    for (const reason of [
      'ENOENT: the working directory /gone does not exist (spawn /bin/sh ENOENT)',
      'E2BIG: spawn E2BIG',
      "ERR_INVALID_ARG_VALUE: The argument 'options.args[2]' must be a string without null bytes",
    ]) {
      const { state, effects, types } = run([
        { type: 'start' },
        { type: 'spawned' },
        { type: 'exited', code: 127, signal: null, portConflict: false, spawnError: reason },
      ]);
      assert.equal(state.phase, 'stopped', reason);
      assert.equal(state.desired, 'stopped');
      assert.equal(state.lastExit?.reason, reason);
      assert.ok(!types.includes('scheduleRestart'));
      const log = effects.find((e): e is Extract<Effect, { type: 'log' }> => e.type === 'log');
      assert.equal(log?.level, 'error');
      assert.ok(log?.text.includes(`could not start (${reason}); not restarting`), log?.text);
    }
  });

  it('a passing spawn error (EMFILE) backs off as a crash does, and says why', () => {
    const { state, effects } = run([
      { type: 'start' },
      { type: 'spawned' },
      { type: 'exited', code: 127, signal: null, portConflict: false, spawnError: 'EMFILE: spawn EMFILE' },
    ]);
    assert.equal(state.phase, 'crashed');
    assert.equal(state.lastExit?.reason, 'EMFILE: spawn EMFILE');
    const log = effects.find((e): e is Extract<Effect, { type: 'log' }> => e.type === 'log');
    assert.match(log?.text ?? '', /^could not start \(EMFILE: spawn EMFILE\); restarting in/);
  });
});

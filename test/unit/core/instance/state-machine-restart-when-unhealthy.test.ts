// The state machine as the services beside the instances use it (Traefik, Prometheus):
// `restartWhenUnhealthy` kills a process that failed its probes, and the exit that follows is
// restarted with the same backoff as a crash; a `fatal` probe failure does not wait for the threshold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RestartConfig } from '../../../../src/core/config/types.js';
import {
  type Effect,
  type InstanceEvent,
  type InstanceState,
  type TransitionContext,
  initialState,
  transition,
} from '../../../../src/core/instance/state-machine.js';

const restart: RestartConfig = { enabled: true, initialDelayMs: 1000, maxDelayMs: 8000, multiplier: 2, jitter: 0, resetAfterMs: 60_000 };
const ctx = (now: number, over: Partial<TransitionContext>): TransitionContext => ({
  now,
  restart,
  failureThreshold: 3,
  successThreshold: 1,
  random: 0.5,
  ...over,
});

function run(events: InstanceEvent[], over: Partial<TransitionContext> = { restartWhenUnhealthy: true }) {
  let state: InstanceState = initialState();
  const effects: Effect[] = [];
  events.forEach((event, i) => {
    const result = transition(state, event, ctx(i + 1, over));
    state = result.state;
    effects.push(...result.effects);
  });
  return { state, effects, types: effects.filter((e) => e.type !== 'log' && e.type !== 'routesChanged').map((e) => e.type) };
}

const up: InstanceEvent[] = [{ type: 'start' }, { type: 'spawned' }, { type: 'ready' }];
const failed = (fatal?: boolean): InstanceEvent => ({ type: 'probeFailed', reason: 'no answer', ...(fatal ? { fatal } : {}) });
const exited: InstanceEvent = { type: 'exited', code: null, signal: null, portConflict: false };

describe('state machine: restartWhenUnhealthy (services)', () => {
  it('failures below the threshold change nothing', () => {
    const { state, types } = run([...up, failed(), failed()]);
    assert.equal(state.phase, 'ready');
    assert.deepEqual(types, ['cancelRestart', 'spawn']);
  });

  it('the threshold kills it, naming the failures', () => {
    const { state, effects, types } = run([...up, failed(), failed(), failed()]);
    assert.equal(state.phase, 'unhealthy');
    assert.deepEqual(types, ['cancelRestart', 'spawn', 'kill']);
    assert.deepEqual(
      effects.find((e) => e.type === 'kill'),
      { type: 'kill', reason: '3 failed probes in a row (no answer)' },
    );
  });

  it('without the option the same failures only make it unhealthy (instances)', () => {
    const { state, types } = run([...up, failed(), failed(), failed()], {});
    assert.equal(state.phase, 'unhealthy');
    assert.deepEqual(types, ['cancelRestart', 'spawn']);
  });

  it('a fatal failure kills at once, with its own reason', () => {
    const { effects, types } = run([...up, failed(true)]);
    assert.deepEqual(types, ['cancelRestart', 'spawn', 'kill']);
    assert.deepEqual(
      effects.find((e) => e.type === 'kill'),
      { type: 'kill', reason: 'no answer' },
    );
  });

  it('the exit after the kill is restarted with the backoff, and counted', () => {
    const { state, effects } = run([...up, failed(true), exited, { type: 'restartDue' }]);
    assert.deepEqual(
      effects.find((e) => e.type === 'scheduleRestart'),
      { type: 'scheduleRestart', delayMs: 1000 },
    );
    assert.equal(state.phase, 'starting');
    assert.equal(state.restarts, 1);
  });

  it('probes that fail while it is already unhealthy (being killed) kill nothing more', () => {
    const { types } = run([...up, failed(true), failed(true), failed()]);
    assert.equal(types.filter((t) => t === 'kill').length, 1);
  });
});

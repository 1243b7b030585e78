/**
 * The life of one instance as a pure function: (state, event, context) -> { state, effects }.
 * The supervisor (src/app/instance.ts) feeds it events from processes, probes and commands,
 * and carries out the effects. Nothing here touches a process, a timer or a clock.
 * The services beside the instances (Traefik, Prometheus) run through it too
 * (src/app/supervision/supervised-service.ts): with `restartWhenUnhealthy`, and ignoring
 * `routesChanged`, which only the balancer's own members need.
 */
import type { RestartConfig } from '../config/types.js';
import { formatElapsed } from '../text/duration.js';
import { nextCrashCount, restartDelayMs } from './backoff.js';

/** The states users see in `lb-dev status`. */
export type Phase = 'starting' | 'ready' | 'unhealthy' | 'crashed' | 'stopped';

export interface InstanceState {
  phase: Phase;
  /** What the user wants: a stopped instance is not restarted. */
  desired: 'running' | 'stopped';
  /** True while the process is alive (a `stopping` instance is alive but desired stopped). */
  alive: boolean;
  /** Held out of the balancer on purpose (rolling restart drain) although ready. */
  drained: boolean;
  startedAt: number | null;
  readyAt: number | null;
  restarts: number;
  crashesInARow: number;
  probeFailures: number;
  probeSuccesses: number;
  nextRestartAt: number | null;
  /** `reason` is set when the command could not be started at all (the OS refused the spawn). */
  lastExit: { code: number | null; signal: string | null; at: number; reason?: string } | null;
}

export type InstanceEvent =
  | { type: 'start' }
  | { type: 'spawned' }
  | { type: 'ready' }
  | { type: 'probeOk' }
  /** `fatal`: a fault that waiting does not mend (a deleted directory): the threshold is reached at once. */
  | { type: 'probeFailed'; reason: string; fatal?: boolean }
  | { type: 'startTimedOut' }
  | { type: 'exited'; code: number | null; signal: string | null; portConflict: boolean; spawnError?: string }
  | { type: 'restartDue' }
  | { type: 'stop' }
  | { type: 'drain'; drained: boolean };

export type Effect =
  | { type: 'spawn'; newPort: boolean }
  | { type: 'kill'; reason: string }
  | { type: 'scheduleRestart'; delayMs: number }
  | { type: 'cancelRestart' }
  | { type: 'routesChanged' }
  | { type: 'log'; text: string; level: 'info' | 'warn' | 'error' };

export interface TransitionContext {
  now: number;
  restart: RestartConfig;
  failureThreshold: number;
  successThreshold: number;
  /** 0..1, for the backoff jitter. */
  random: number;
  /**
   * What failing `failureThreshold` probes in a row does to a ready process: false (instances)
   * = unhealthy, out of the balancer until it recovers; true (services) = killed, and restarted
   * with the backoff once it exited.
   */
  restartWhenUnhealthy?: boolean;
}

export interface Transition {
  state: InstanceState;
  effects: Effect[];
}

export function initialState(): InstanceState {
  return {
    phase: 'stopped',
    desired: 'stopped',
    alive: false,
    drained: false,
    startedAt: null,
    readyAt: null,
    restarts: 0,
    crashesInARow: 0,
    probeFailures: 0,
    probeSuccesses: 0,
    nextRestartAt: null,
    lastExit: null,
  };
}

/** Whether the balancer should send this instance traffic. */
export function takesTraffic(state: InstanceState): boolean {
  return state.phase === 'ready' && state.alive && state.desired === 'running' && !state.drained;
}

function describeExit(code: number | null, signal: string | null): string {
  return signal ? `killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
}

/**
 * Spawn errors that come back identically on every try (a missing working directory or
 * shell, a command line too long, a NUL byte, no permission): restarting would loop for
 * ever. Others (EMFILE, EAGAIN, ENOMEM: the machine is short of something) may pass, so
 * they back off as a crash does.
 */
const LASTING_SPAWN_ERRORS = ['ENOENT', 'ENOTDIR', 'E2BIG', 'EACCES', 'ENAMETOOLONG', 'ELOOP', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_TYPE'];

export function spawnErrorLasts(reason: string): boolean {
  const code = /^([A-Z0-9_]+)\b/.exec(reason)?.[1];
  return code !== undefined && LASTING_SPAWN_ERRORS.includes(code);
}

export function transition(state: InstanceState, event: InstanceEvent, ctx: TransitionContext): Transition {
  const before = takesTraffic(state);
  const result = step(state, event, ctx);
  if (takesTraffic(result.state) !== before && !result.effects.some((e) => e.type === 'routesChanged')) {
    result.effects.unshift({ type: 'routesChanged' });
  }
  return result;
}

function step(state: InstanceState, event: InstanceEvent, ctx: TransitionContext): Transition {
  switch (event.type) {
    case 'start': {
      if (state.alive) return { state: { ...state, desired: 'running' }, effects: [] };
      return {
        state: { ...state, desired: 'running', phase: 'starting', nextRestartAt: null, crashesInARow: 0 },
        effects: [{ type: 'cancelRestart' }, { type: 'spawn', newPort: false }],
      };
    }
    case 'spawned':
      return {
        state: { ...state, alive: true, phase: 'starting', startedAt: ctx.now, readyAt: null, probeFailures: 0, probeSuccesses: 0 },
        effects: [],
      };
    case 'ready': {
      if (state.phase !== 'starting' || !state.alive) return { state, effects: [] };
      const took = state.startedAt === null ? 0 : ctx.now - state.startedAt;
      return {
        state: { ...state, phase: 'ready', readyAt: ctx.now, probeFailures: 0, probeSuccesses: 0 },
        effects: [{ type: 'log', level: 'info', text: `ready after ${formatElapsed(took)}` }],
      };
    }
    case 'probeOk': {
      // Unchanged stays the same object: the supervisor tells its observers only of real changes.
      if (state.phase === 'ready') return { state: state.probeFailures === 0 ? state : { ...state, probeFailures: 0 }, effects: [] };
      if (state.phase !== 'unhealthy') return { state, effects: [] };
      const successes = state.probeSuccesses + 1;
      if (successes < ctx.successThreshold) return { state: { ...state, probeSuccesses: successes }, effects: [] };
      return {
        state: { ...state, phase: 'ready', probeFailures: 0, probeSuccesses: 0 },
        effects: [{ type: 'log', level: 'info', text: 'healthy again; back in the balancer' }],
      };
    }
    case 'probeFailed': {
      if (state.phase === 'unhealthy') return { state: state.probeSuccesses === 0 ? state : { ...state, probeSuccesses: 0 }, effects: [] };
      if (state.phase !== 'ready') return { state, effects: [] };
      const failures = state.probeFailures + 1;
      if (failures < ctx.failureThreshold && !event.fatal) return { state: { ...state, probeFailures: failures }, effects: [] };
      if (ctx.restartWhenUnhealthy) {
        const reason = event.fatal ? event.reason : `${failures} failed probes in a row (${event.reason})`;
        return {
          state: { ...state, phase: 'unhealthy', probeFailures: failures, probeSuccesses: 0 },
          effects: [
            { type: 'log', level: 'warn', text: `unhealthy: ${reason}; restarting it` },
            { type: 'kill', reason },
          ],
        };
      }
      return {
        state: { ...state, phase: 'unhealthy', probeFailures: failures, probeSuccesses: 0 },
        effects: [
          {
            type: 'log',
            level: 'warn',
            text: `unhealthy after ${failures} failed probes (${event.reason}); out of the balancer until it recovers`,
          },
        ],
      };
    }
    case 'startTimedOut': {
      if (state.phase !== 'starting' || !state.alive) return { state, effects: [] };
      return { state, effects: [{ type: 'kill', reason: 'not ready within the start timeout' }] };
    }
    case 'exited':
      return exited(state, event, ctx);
    case 'restartDue': {
      if (state.phase !== 'crashed' || state.desired !== 'running' || state.alive) return { state, effects: [] };
      return {
        state: { ...state, phase: 'starting', restarts: state.restarts + 1, nextRestartAt: null },
        effects: [{ type: 'spawn', newPort: false }],
      };
    }
    case 'stop': {
      const next: InstanceState = { ...state, desired: 'stopped', nextRestartAt: null };
      if (state.alive) return { state: next, effects: [{ type: 'cancelRestart' }, { type: 'kill', reason: 'stop requested' }] };
      return { state: { ...next, phase: 'stopped' }, effects: [{ type: 'cancelRestart' }] };
    }
    case 'drain':
      return { state: { ...state, drained: event.drained }, effects: [] };
  }
}

function exited(state: InstanceState, event: Extract<InstanceEvent, { type: 'exited' }>, ctx: TransitionContext): Transition {
  const lastExit = { code: event.code, signal: event.signal, at: ctx.now, ...(event.spawnError ? { reason: event.spawnError } : {}) };
  const how = event.spawnError ? `could not start (${event.spawnError})` : describeExit(event.code, event.signal);
  const base: InstanceState = { ...state, alive: false, lastExit, readyAt: null, probeFailures: 0, probeSuccesses: 0 };
  if (state.desired === 'stopped') {
    return { state: { ...base, phase: 'stopped' }, effects: [{ type: 'log', level: 'info', text: `stopped (${how})` }] };
  }
  if (event.spawnError && spawnErrorLasts(event.spawnError)) {
    return {
      state: { ...base, phase: 'stopped', desired: 'stopped', nextRestartAt: null },
      effects: [{ type: 'log', level: 'error', text: `${how}; not restarting, it would fail the same way: fix the cause, then \`lb-dev start\` it` }],
    };
  }
  if (event.portConflict) {
    // Another process took the port between our check and the app's bind: not the app's fault.
    return {
      state: { ...base, phase: 'starting' },
      effects: [
        { type: 'log', level: 'warn', text: `${how}: its port was taken by another process (EADDRINUSE); retrying on a new port` },
        { type: 'spawn', newPort: true },
      ],
    };
  }
  if (!ctx.restart.enabled) {
    return {
      state: { ...base, phase: 'stopped', desired: 'stopped' },
      effects: [{ type: 'log', level: 'error', text: `${how}; restart is disabled, leaving it stopped` }],
    };
  }
  const uptime = state.startedAt === null ? 0 : ctx.now - state.startedAt;
  const crashes = nextCrashCount(state.crashesInARow, uptime, ctx.restart);
  const delayMs = restartDelayMs(ctx.restart, crashes, ctx.random);
  const loop = crashes >= 3 ? ` (crash loop: ${crashes} crashes in a row)` : '';
  return {
    state: { ...base, phase: 'crashed', crashesInARow: crashes, nextRestartAt: ctx.now + delayMs },
    effects: [
      { type: 'log', level: crashes >= 3 ? 'error' : 'warn', text: `${how}; restarting in ${formatElapsed(delayMs)}${loop}` },
      { type: 'scheduleRestart', delayMs },
    ],
  };
}

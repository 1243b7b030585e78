/**
 * The one driver of a service beside the instances (Traefik, Prometheus, ...): it runs the
 * instances' pure state machine (src/core/instance/state-machine.ts) with `restartWhenUnhealthy`,
 * and carries out its effects: spawn = the service's start, kill = its stop; the service
 * reporting itself down is an exit; a probe on a timer feeds probeOk/probeFailed. A crash or
 * too many failed probes restart it with the instances' backoff. It is a Part of `up`'s stack.
 */
import { LbDevError } from '../../core/errors.js';
import { type Effect, type InstanceEvent, type InstanceState, initialState, transition } from '../../core/instance/state-machine.js';
import { formatElapsed } from '../../core/text/duration.js';
import type { Part, PartHealth, PartStatus } from '../stack/part.js';
import { DEFAULT_POLICY, type ProbeResult, type ServiceSpec, type SupervisionPolicy } from './service.js';

export interface SupervisedServiceOptions {
  /** The log hub (or anything with its event()): lines go under the service's name. */
  logs: { event(source: string, text: string): unknown };
  policy?: SupervisionPolicy;
  /** 0..1 for the backoff's jitter (tests pin it). */
  random?: () => number;
}

/** The fault being recovered from: when it was seen, the restart attempts made, the last one's error. */
interface Outage {
  since: number;
  reason: string;
  attempts: number;
  lastError: string | null;
}

export class SupervisedService implements Part {
  readonly name: string;
  private state: InstanceState = initialState();
  private readonly policy: SupervisionPolicy;
  /** The start under way (with the stop before it on a restart); resolves to its error, if any. */
  private launching: Promise<Error | null> | null = null;
  /** The stop of a running service (kill effect), until its exit is dispatched. */
  private killing: Promise<void> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  /** Bumped whenever a run ends: a probe answer from an earlier run is dropped. */
  private run = 0;
  private outage: Outage | null = null;

  constructor(
    private readonly spec: ServiceSpec,
    private readonly opts: SupervisedServiceOptions,
  ) {
    this.name = spec.name;
    this.policy = opts.policy ?? DEFAULT_POLICY;
  }

  /** Resolves once it is ready (also when a stop() came meanwhile: status() then says stopped). */
  async start(): Promise<void> {
    this.spec.onDown = () => this.down();
    this.dispatch({ type: 'start' });
    const error = await this.launching;
    if (error) throw error instanceof LbDevError ? error : new LbDevError('INTERNAL', `${this.spec.label} did not start: ${error.message}`);
  }

  async stop(): Promise<void> {
    this.dispatch({ type: 'stop' });
    this.stopProbes();
    await this.launching;
    await this.killing;
    // Whatever a failed or interrupted start left (safe when nothing runs).
    await this.spec.stop();
    this.spec.onDown = undefined;
  }

  status(): PartStatus {
    const { phase, restarts } = this.state;
    const health: PartHealth =
      phase === 'ready' ? 'healthy' : phase === 'unhealthy' ? 'unhealthy' : phase === 'crashed' || (phase === 'starting' && this.outage) ? 'restarting' : phase;
    const detail =
      this.outage && phase !== 'stopped'
        ? `${this.outage.reason}; ${this.outage.lastError ? `last try: ${this.outage.lastError}` : 'restarting'}`
        : this.spec.describe();
    return { name: this.name, health, detail, restarts };
  }

  private say(text: string): void {
    this.opts.logs.event(this.spec.name, text);
  }

  private dispatch(event: InstanceEvent): void {
    const result = transition(this.state, event, {
      now: Date.now(),
      restart: this.policy.restart,
      failureThreshold: this.policy.failureThreshold,
      successThreshold: 1,
      random: (this.opts.random ?? Math.random)(),
      restartWhenUnhealthy: true,
    });
    this.state = result.state;
    for (const effect of result.effects) this.apply(effect, event);
  }

  private apply(effect: Effect, cause: InstanceEvent): void {
    switch (effect.type) {
      case 'spawn':
        this.launching = this.launch(cause.type === 'restartDue');
        return;
      case 'kill':
        if (this.state.desired === 'running') this.faultSeen(effect.reason);
        this.kill();
        return;
      case 'scheduleRestart':
        this.scheduleRestart(effect.delayMs);
        return;
      case 'cancelRestart':
        if (this.restartTimer) clearTimeout(this.restartTimer);
        this.restartTimer = null;
        return;
      case 'routesChanged': // only the balancer's members have routes
      case 'log': // the driver says what happened in the services' own words (faultSeen, launch)
        return;
    }
  }

  /** Starts the service (after stopping what its last run left, on a restart) and dispatches how that went. */
  private async launch(again: boolean): Promise<Error | null> {
    if (again && this.outage) this.outage.attempts++;
    this.dispatch({ type: 'spawned' }); // from here something of it may run: a stop waits for this launch
    let failure: Error | null = null;
    try {
      if (again) await this.spec.stop(true);
      await this.spec.start(again);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    const stopped = this.state.desired !== 'running'; // a stop() came meanwhile: a failure it caused is no error
    if (stopped || failure) {
      if (!stopped && !again) this.dispatch({ type: 'stop' }); // a failed first start is the caller's error, not restarted
      await this.spec.stop().catch(() => {});
      if (failure && this.outage) this.outage.lastError = failure.message;
      // Lowercase first: not taken for a lasting spawn error (ENOENT ...); a service is retried until stopped.
      this.exited(failure ? { spawnError: `start failed: ${failure.message}` } : {});
      return stopped ? null : failure;
    }
    this.dispatch({ type: 'ready' });
    this.scheduleProbe();
    const detail = (await this.spec.afterStart?.(again).catch((error: Error) => ` (but: ${error.message})`)) ?? '';
    if (this.outage && this.state.phase === 'ready') {
      this.say(`${this.spec.label} is back${detail}, ${formatElapsed(Date.now() - this.outage.since)} after the fault was seen`);
      this.outage = null;
    }
    return null;
  }

  private exited(extra: { spawnError?: string }): void {
    this.run++;
    this.dispatch({ type: 'exited', code: null, signal: null, portConflict: false, ...extra });
  }

  /** The service says it is down (onDown, or seen by a probe): an exit, unless a start or stop of ours is under way. */
  private down(): void {
    const reason = this.spec.downReason();
    if (!reason || !this.state.alive || this.state.phase === 'starting' || this.killing) return;
    this.stopProbes();
    if (this.state.desired === 'running') this.faultSeen(reason);
    this.exited({});
  }

  private faultSeen(reason: string): void {
    if (this.outage) return;
    this.outage = { since: Date.now(), reason, attempts: 0, lastError: null };
    this.say(`ERROR: ${reason}: ${this.spec.impact}; starting ${this.spec.label} again`);
  }

  private kill(): void {
    this.stopProbes();
    if (this.killing) return;
    if (this.state.phase === 'starting') {
      // A start under way gives up once what it started is stopped; its launch dispatches the exit.
      this.killing = this.spec
        .stop()
        .catch(() => {})
        .then(() => {
          this.killing = null;
        });
      return;
    }
    this.killing = this.spec
      .stop(this.state.desired === 'running')
      .catch(() => {})
      .then(() => {
        this.killing = null;
        this.exited({});
      });
  }

  private scheduleRestart(delayMs: number): void {
    const outage = this.outage;
    if (outage?.lastError) {
      this.say(`ERROR: starting ${this.spec.label} again failed (attempt ${outage.attempts}): ${outage.lastError}; next try in ${formatElapsed(delayMs)}`);
    }
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.dispatch({ type: 'restartDue' });
    }, delayMs);
  }

  private scheduleProbe(delayMs = this.policy.probeIntervalMs): void {
    if (this.probeTimer || !this.state.alive || this.state.desired !== 'running') return;
    const run = this.run;
    this.probeTimer = setTimeout(() => void this.probe(run), delayMs);
  }

  private async probe(run: number): Promise<void> {
    if (this.spec.downReason()) {
      this.probeTimer = null;
      this.down();
      return;
    }
    const result = await this.spec.probe().catch((error: Error): ProbeResult => ({ ok: false, reason: error.message }));
    if (run !== this.run || this.probeTimer === null) return; // it exited, or was stopped, meanwhile
    this.probeTimer = null;
    this.dispatch(result.ok ? { type: 'probeOk' } : { type: 'probeFailed', reason: result.reason, ...(result.fatal ? { fatal: true } : {}) });
    if (this.state.phase === 'ready')
      this.scheduleProbe(result.ok ? (this.policy.healthyProbeIntervalMs ?? this.policy.probeIntervalMs) : this.policy.probeIntervalMs);
  }

  private stopProbes(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }
}

/**
 * One supervised instance: carries out what the pure state machine decides (spawn, kill,
 * schedule a restart) and turns what happens to the process and its probes into events.
 */
import type { GroupConfig } from '../core/config/types.js';
import { type Effect, type InstanceEvent, type InstanceState, type Phase, initialState, takesTraffic, transition } from '../core/instance/state-machine.js';
import { splitLines } from '../adapters/logs/log-line.js';
import { type ExitInfo, type RunningProcess, spawnCommand } from '../adapters/process/spawn-command.js';
import type { InstanceDeps, InstanceStatus } from './instance-contract.js';
import { planLaunch } from './instance-launch.js';
import { PortConflictRetries, ReadinessWatch } from './readiness.js';
import { guessFramework, wrongPortWarning } from '../core/instance/wrong-port.js';
export type { InstanceDeps, InstanceLogSink, InstanceStatus } from './instance-contract.js';

export class Instance {
  readonly name: string;
  private state: InstanceState = initialState();
  private process: RunningProcess | null = null;
  private ports: number[] = [];
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly portConflicts = new PortConflictRetries();
  /** The current run's readiness: a kill stops it, as a run on its way out must not turn ready. */
  private readiness: ReadinessWatch | null = null;
  /** The launch (port allocation, spawn) under way, if any: a stop() waits for it to settle. */
  private launching: Promise<void> = Promise.resolve();
  private orphanReaping: Promise<void> = Promise.resolve();
  /** The stop (SIGTERM, then SIGKILL after the grace) of the current process, once one was asked for. */
  private stopping: Promise<void> | null = null;
  private readonly stoppedWaiters: Array<() => void> = [];
  private readonly readyWaiters: Array<() => void> = [];
  /** When the last exit was seen: told with the route change an exit causes (the exit metric starts there). */
  private lastExitSeenAt: number | null = null;
  /** The build the current process started on (see InstanceDeps.buildStamp). */
  build: string | null = null;
  /** What is wrong with the current run that it cannot tell itself (it listens on another port). */
  private warning: string | null = null;
  /** Forgotten by a scale-down or the shutdown: it never starts again, whoever asks (docs/architecture.md, "Operations at once"). */
  private forgotten = false;

  constructor(
    readonly group: GroupConfig,
    readonly index: number,
    private readonly deps: InstanceDeps,
  ) {
    this.name = `${group.name}-${index}`;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  get phase(): Phase {
    return this.state.phase;
  }

  get port(): number | null {
    return this.ports[0] ?? null;
  }

  get pid(): number | null {
    return this.process && this.state.alive ? this.process.pid : null;
  }

  /** Its ports now: its own, then the extra ones. */
  get allPorts(): readonly number[] {
    return this.ports;
  }

  /** Started and not stopped on purpose (it may be starting, ready, or waiting to restart). */
  get wantsToRun(): boolean {
    return this.state.desired === 'running';
  }

  /** Taken out of the balancer on purpose (a stop, a scale-down, a rolling restart), not by a failure. */
  get drained(): boolean {
    return this.state.drained;
  }

  get takesTraffic(): boolean {
    return takesTraffic(this.state);
  }

  status(): InstanceStatus {
    return {
      name: this.name,
      group: this.group.name,
      index: this.index,
      pid: this.pid,
      port: this.port,
      extraPorts: this.ports.slice(1),
      state: this.state.phase,
      desired: this.state.desired,
      inBalancer: this.takesTraffic,
      restarts: this.state.restarts,
      crashesInARow: this.state.crashesInARow,
      startedAt: this.state.startedAt,
      readyAt: this.state.readyAt,
      nextRestartAt: this.state.nextRestartAt,
      lastExit: this.state.lastExit,
      ...(this.build === null ? {} : { build: this.build }),
      ...(this.warning === null ? {} : { warning: this.warning }),
    };
  }

  /** Taken out by a scale-down or the shutdown: start() does nothing from now on. */
  get removed(): boolean {
    return this.forgotten;
  }

  start(): void {
    if (this.forgotten) return;
    this.dispatch({ type: 'start' });
  }

  /** Forgets it for good; the caller stops it (Supervisor.retire). A launch under way gives up (launch checks desired). */
  remove(): void {
    this.forgotten = true;
  }

  /**
   * Stops the instance's whole tree and keeps it stopped; resolves once nothing of it runs
   * and a launch that was under way has given up (so nothing of it starts later either).
   */
  stop(): Promise<void> {
    const launching = this.launching;
    const done = new Promise<void>((resolve) => {
      if (!this.state.alive) resolve();
      else this.stoppedWaiters.push(resolve);
    });
    this.dispatch({ type: 'stop' });
    return Promise.all([done, launching]).then(() => this.orphanReaping);
  }

  /** Like stop(), without the grace period: SIGKILL to the whole tree now (a second Ctrl-C). */
  forceStop(): Promise<void> {
    const stopped = this.stop();
    void this.process?.signal('SIGKILL');
    return stopped;
  }

  /**
   * Holds a ready instance out of the balancer (or lets it back in) without stopping it.
   * Only the Supervisor calls this (retire/admit), which also syncs the routes.
   */
  setDrained(drained: boolean): void {
    this.dispatch({ type: 'drain', drained });
  }

  /**
   * Resolves when the instance is ready, or when it no longer wants to run (a `stop` or a
   * scale-down while a `start` waits): callers then see `phase`. Never left pending by a stop.
   */
  whenReady(): Promise<void> {
    if (this.state.phase === 'ready' || this.state.desired === 'stopped') return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Sends a signal to the whole tree, as a crash would (the supervisor restarts it as usual). */
  async signal(signal: NodeJS.Signals): Promise<boolean> {
    if (!this.process || !this.state.alive) return false;
    await this.process.signal(signal);
    return true;
  }

  releasePorts(): void {
    this.deps.ports.release(...this.ports);
    this.ports = [];
  }

  private dispatch(event: InstanceEvent): void {
    const { readiness, restart } = this.group;
    const result = transition(this.state, event, {
      now: this.now(),
      restart,
      failureThreshold: readiness.failureThreshold,
      successThreshold: readiness.successThreshold,
      random: (this.deps.random ?? Math.random)(),
    });
    const previous = this.state;
    this.state = result.state;
    // An exit that took it out of the balancer goes with the route change, timed from when it was seen.
    const exitSeenAt = event.type === 'exited' && takesTraffic(previous) && !this.takesTraffic ? this.lastExitSeenAt : null;
    for (const effect of result.effects) this.apply(effect, exitSeenAt);
    if (this.state.phase === 'ready') this.portConflicts.reset();
    if (this.state.phase === 'ready' || this.state.desired === 'stopped') for (const resolve of this.readyWaiters.splice(0)) resolve();
    if (!this.state.alive && previous.alive !== this.state.alive) for (const resolve of this.stoppedWaiters.splice(0)) resolve();
    if (previous !== this.state) this.deps.onChange(this);
  }

  private apply(effect: Effect, exitSeenAt: number | null): void {
    switch (effect.type) {
      case 'spawn':
        this.launching = this.launch(effect.newPort);
        return;
      case 'kill':
        this.deps.logs.event(this.name, `stopping (${effect.reason})`);
        this.readiness?.stop();
        if (this.process) this.stopping = this.process.stop(this.group.stopGraceMs);
        return;
      case 'scheduleRestart':
        this.clearRestartTimer();
        this.restartTimer = setTimeout(() => {
          this.restartTimer = null;
          this.dispatch({ type: 'restartDue' });
        }, effect.delayMs);
        return;
      case 'cancelRestart':
        this.clearRestartTimer();
        return;
      case 'routesChanged':
        this.deps.onRoutesChanged(this, exitSeenAt);
        return;
      case 'log':
        this.deps.logs.event(this.name, effect.text);
        return;
    }
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  /** Starts a process (on new ports when asked), unless a stop came while it waited. */
  private async launch(newPort: boolean): Promise<void> {
    // A restart must not race the leftovers of the previous tree for its port.
    await this.orphanReaping;
    if (this.state.desired !== 'running' || this.state.alive) return;
    if (newPort || this.ports.length === 0) {
      const ports = await this.deps.ports.allocate(this.group.reservePorts);
      // A stop() (or a stop() + start() that got ahead of this launch) came while we waited: not wanted now.
      if (this.state.desired !== 'running' || this.state.alive) {
        this.deps.ports.release(...ports);
        return;
      }
      this.releasePorts();
      this.ports = ports;
    }
    const launchPorts = this.ports as [number, ...number[]];
    const [port] = launchPorts;
    const { command, env, announcement, marker } = planLaunch(this.group, this.index, this.name, launchPorts, this.deps);

    const readiness = new ReadinessWatch(this.group.readiness, port, {
      ready: () => this.dispatch({ type: 'ready' }),
      startTimedOut: (why) => {
        if (this.process !== child) return; // it exited (and maybe restarted) meanwhile: this timeout is stale
        if (why) this.deps.logs.event(this.name, `not ready within the start timeout: ${why}`);
        this.dispatch({ type: 'startTimedOut' });
      },
      probed: (result) => this.dispatch(result.ok ? { type: 'probeOk' } : { type: 'probeFailed', reason: result.reason }),
      wrongPort: (listening) => this.warn(wrongPortWarning(this.name, listening, port, guessFramework(this.group.command, listening))),
    });
    this.readiness = readiness;
    const splitters = { stdout: splitLines(), stderr: splitLines() };
    const onLine = (stream: 'stdout' | 'stderr', line: string) => {
      this.deps.logs.append(this.name, stream, line);
      readiness.line(line);
    };
    const onOutput = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
      for (const line of splitters[stream].push(chunk)) onLine(stream, line);
    };
    this.deps.logs.event(this.name, announcement);
    this.stopping = null;
    this.warning = null;
    this.build = this.deps.buildStamp?.() ?? null;
    // A last line without a newline is complete once its pipe ends (not at the exit: the pipe may still hold output).
    const onOutputEnd = (stream: 'stdout' | 'stderr') => {
      for (const line of splitters[stream].end()) onLine(stream, line);
    };
    const child = spawnCommand({ command, cwd: this.group.cwd, env, onOutput, onOutputEnd, marker });
    this.process = child;
    // The leader's pid is the group id: spawnCommand starts it detached, in a group of its own.
    if (child.pid > 0) this.deps.lifeline?.watchGroup(child.pid);
    this.dispatch({ type: 'spawned' });
    readiness.start(child.pid, launchPorts);
    void child.exited.then((exit) => this.exited(child, exit, readiness, port));
  }

  private warn(text: string): void {
    this.warning = text;
    this.deps.logs.event(this.name, text);
    this.deps.onChange(this);
  }

  /** The process of this run is gone (crash, stop, or a port conflict): clean up after it, tell the state machine. */
  private async exited(child: RunningProcess, exit: ExitInfo, readiness: ReadinessWatch, port: number): Promise<void> {
    this.lastExitSeenAt = this.now();
    readiness.stop();
    // Orphans (a killed `yarn` leaves `node` behind) and escapees would keep the port: reap them, unless a
    // stop does (with its grace): a second SIGTERM would cut short what is left's shutdown (node still closing).
    if (child.pid > 0) {
      const reaping = this.stopping ?? child.reap(this.group.stopGraceMs);
      this.orphanReaping = reaping;
      // Forgotten once the group is empty: until then its id cannot be handed to anything else.
      void reaping.then(() => this.deps.lifeline?.forgetGroup(child.pid));
    }
    const portConflict = readiness.sawPortConflict && this.state.phase === 'starting' && (await this.portConflicts.retryOnNewPort(port));
    this.dispatch({ type: 'exited', code: exit.code, signal: exit.signal, portConflict, ...(exit.spawnError ? { spawnError: exit.spawnError } : {}) });
  }
}

/**
 * One supervised instance: carries out what the pure state machine decides (spawn, kill,
 * schedule a restart) and turns what happens to the process and its probes into events.
 */
import type { GroupConfig } from '../core/config/types.js';
import {
  type Effect, type InstanceEvent, type InstanceState, type Phase,
  initialState, takesTraffic, transition,
} from '../core/instance/state-machine.js';
import { stripAnsi } from '../core/text/ansi.js';
import { renderTemplate } from '../core/text/template.js';
import { splitLines } from '../adapters/logs/log-line.js';
import { probeHttp } from '../adapters/http-probe.js';
import { type PortAllocator, isPortFree } from '../adapters/ports.js';
import { reapOrphans } from '../adapters/process/kill-tree.js';
import { type RunningProcess, spawnCommand } from '../adapters/process/spawn-command.js';

export interface InstanceLogSink {
  append(source: string, stream: 'stdout' | 'stderr', text: string): unknown;
  event(source: string, text: string): unknown;
}

export interface InstanceDeps {
  ports: PortAllocator;
  logs: InstanceLogSink;
  /** The balancer's URL, for {url} and ROOT_URL-like settings. */
  balancerUrl: string;
  /** Environment every instance inherits (process.env plus lb-dev's markers). */
  baseEnv: Record<string, string>;
  onRoutesChanged: (instance: Instance) => void;
  onChange: (instance: Instance) => void;
  now?: () => number;
  random?: () => number;
}

export interface InstanceStatus {
  name: string;
  group: string;
  index: number;
  pid: number | null;
  port: number | null;
  extraPorts: number[];
  state: Phase;
  desired: 'running' | 'stopped';
  inBalancer: boolean;
  restarts: number;
  crashesInARow: number;
  startedAt: number | null;
  readyAt: number | null;
  nextRestartAt: number | null;
  lastExit: InstanceState['lastExit'];
  /** Requests Traefik sent it (from the access log), when lb-dev runs Traefik. */
  requests?: number;
}

const EADDRINUSE = /EADDRINUSE|address already in use/i;
/** Port-conflict retries in a row (each on a new port, without backoff) before a conflict counts as a crash. */
const MAX_PORT_RETRIES = 3;

export class Instance {
  readonly name: string;
  private state: InstanceState = initialState();
  private process: RunningProcess | null = null;
  private ports: number[] = [];
  private generation = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private startTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private sawPortConflict = false;
  private portRetries = 0;
  private logMatched = false;
  private httpReady = false;
  private orphanReaping: Promise<void> = Promise.resolve();
  /** The stop (SIGTERM, then SIGKILL after the grace) of the current process, once one was asked for. */
  private stopping: Promise<void> | null = null;
  private readonly stoppedWaiters: Array<() => void> = [];
  private readonly readyWaiters: Array<() => void> = [];
  private readonly logPattern: RegExp | null;
  /** When the last exit was seen (for the exit-to-route-change figure). */
  lastExitSeenAt: number | null = null;

  constructor(
    readonly group: GroupConfig,
    readonly index: number,
    private readonly deps: InstanceDeps,
  ) {
    this.name = `${group.name}-${index}`;
    this.logPattern = group.readiness.logPattern === null ? null : new RegExp(group.readiness.logPattern);
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
    };
  }

  start(): void {
    this.dispatch({ type: 'start' });
  }

  /** Stops the instance's whole tree and keeps it stopped; resolves once nothing of it runs. */
  stop(): Promise<void> {
    const done = new Promise<void>((resolve) => {
      if (!this.state.alive) resolve();
      else this.stoppedWaiters.push(resolve);
    });
    this.dispatch({ type: 'stop' });
    return done.then(() => this.orphanReaping);
  }

  /** Like stop(), without the grace period: SIGKILL to the whole tree now (a second Ctrl-C). */
  forceStop(): Promise<void> {
    const stopped = this.stop();
    void this.process?.signal('SIGKILL');
    return stopped;
  }

  /** Holds a ready instance out of the balancer (or lets it back in) without stopping it. */
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
    for (const effect of result.effects) this.apply(effect);
    if (this.state.phase === 'ready') this.portRetries = 0;
    if (this.state.phase === 'ready' || this.state.desired === 'stopped') this.readyWaiters.splice(0).forEach((resolve) => resolve());
    if (!this.state.alive && previous.alive !== this.state.alive) this.stoppedWaiters.splice(0).forEach((resolve) => resolve());
    if (previous !== this.state) this.deps.onChange(this);
  }

  private apply(effect: Effect): void {
    switch (effect.type) {
      case 'spawn':
        void this.spawn(effect.newPort);
        return;
      case 'kill':
        this.deps.logs.event(this.name, `stopping (${effect.reason})`);
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
        this.deps.onRoutesChanged(this);
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

  private async spawn(newPort: boolean): Promise<void> {
    // A restart must not race the leftovers of the previous tree for its port.
    await this.orphanReaping;
    if (this.state.desired !== 'running' || this.state.alive) return;
    if (newPort || this.ports.length === 0) {
      const ports = await this.deps.ports.allocate(this.group.reservePorts);
      // A stop() (or a stop() + start() whose spawn got ahead of this one) may have come
      // while we waited for the ports: then this spawn is no longer wanted.
      if (this.state.desired !== 'running' || this.state.alive) {
        this.deps.ports.release(...ports);
        return;
      }
      this.releasePorts();
      this.ports = ports;
    }
    const generation = ++this.generation;
    const [port, ...extraPorts] = this.ports as [number, ...number[]];
    const values = { port, index: this.index, name: this.name, url: this.deps.balancerUrl, group: this.group.name, extraPorts };
    const env: Record<string, string> = { ...this.deps.baseEnv };
    for (const [key, value] of Object.entries(this.group.env)) env[key] = renderTemplate(value, values);
    env.PORT = String(port);
    env.LB_DEV_INSTANCE = this.name;
    env.LB_DEV_INDEX = String(this.index);
    const command = renderTemplate(this.group.command, values);

    this.sawPortConflict = false;
    this.logMatched = this.logPattern === null;
    this.httpReady = this.group.readiness.http === null;
    const splitters = { stdout: splitLines(), stderr: splitLines() };
    const onOutput = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
      for (const line of splitters[stream].push(chunk)) this.onLine(generation, stream, line);
    };
    this.deps.logs.event(this.name, `starting on port ${port}${extraPorts.length ? ` (+ ${extraPorts.join(', ')})` : ''}: ${command}`);
    this.stopping = null;
    const child = spawnCommand({ command, cwd: this.group.cwd, env, onOutput });
    this.process = child;
    this.dispatch({ type: 'spawned' });
    this.startTimer = setTimeout(() => {
      if (generation === this.generation) this.dispatch({ type: 'startTimedOut' });
    }, this.group.readiness.startTimeoutMs);
    if (this.group.readiness.http) this.scheduleProbe(generation, 0);
    else this.checkReady(generation);

    const exit = await child.exited;
    for (const stream of ['stdout', 'stderr'] as const) {
      for (const line of splitters[stream].end()) this.onLine(generation, stream, line);
    }
    this.lastExitSeenAt = this.now();
    this.clearTimers();
    // Orphans (a killed `yarn` leaves `node` behind) would keep the port: reap the group.
    // When a stop is under way it already does that (with its own grace): a second SIGTERM from
    // here would cut short the graceful shutdown of what is left (yarn exits, node is still closing).
    if (child.pid > 0) this.orphanReaping = this.stopping ?? reapOrphans(child.pid, this.group.stopGraceMs);
    // A new port (at once, no backoff) only helps when ours really is taken by another process.
    // An app that binds a port of its own (hard-coded, or PORT ignored) would otherwise be
    // respawned in a tight loop forever: then it is a crash like any other, with backoff.
    let portConflict = false;
    if (this.sawPortConflict && this.state.phase === 'starting') {
      portConflict = this.portRetries < MAX_PORT_RETRIES && !(await isPortFree(port, '127.0.0.1'));
      this.portRetries = portConflict ? this.portRetries + 1 : 0;
    }
    this.dispatch({ type: 'exited', code: exit.code, signal: exit.signal, portConflict });
    if (this.state.phase === 'stopped') await this.orphanReaping;
  }

  private onLine(generation: number, stream: 'stdout' | 'stderr', line: string): void {
    this.deps.logs.append(this.name, stream, line);
    if (generation !== this.generation || this.state.phase !== 'starting') return;
    const plain = stripAnsi(line);
    if (EADDRINUSE.test(plain)) this.sawPortConflict = true;
    if (!this.logMatched && this.logPattern?.test(plain)) {
      this.logMatched = true;
      this.checkReady(generation);
    }
  }

  private checkReady(generation: number): void {
    if (generation === this.generation && this.logMatched && this.httpReady) this.dispatch({ type: 'ready' });
  }

  private scheduleProbe(generation: number, delayMs: number): void {
    const http = this.group.readiness.http;
    if (!http) return;
    this.probeTimer = setTimeout(async () => {
      if (generation !== this.generation || !this.state.alive) return;
      const port = this.port;
      const result = await probeHttp(`http://127.0.0.1:${port}${http.path}`, http.timeoutMs, http.expectStatus);
      if (generation !== this.generation || !this.state.alive) return;
      if (this.state.phase === 'starting') {
        if (result.ok) {
          this.httpReady = true;
          this.checkReady(generation);
        }
      } else {
        this.dispatch(result.ok ? { type: 'probeOk' } : { type: 'probeFailed', reason: result.reason });
      }
      this.scheduleProbe(generation, http.intervalMs);
    }, delayMs);
  }

  private clearTimers(): void {
    if (this.startTimer) clearTimeout(this.startTimer);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.startTimer = null;
    this.probeTimer = null;
  }
}

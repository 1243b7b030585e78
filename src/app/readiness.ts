/**
 * When one run of an instance's process counts as ready, and how it does afterwards:
 * the log pattern and the first good HTTP probe (each when configured), the start timeout,
 * health probes once ready, and whether an exit was a port conflict worth a new port.
 * It only reports; the Instance turns reports into state-machine events.
 */
import type { ReadinessConfig } from '../core/config/types.js';
import { stripAnsi } from '../core/text/ansi.js';
import { compileUserPattern } from '../core/text/user-pattern.js';
import '../adapters/linear-regexp-engine.js';
import { type ProbeResult, probeHttp } from '../adapters/http-probe.js';
import { isPortFree } from '../adapters/ports.js';
import { PortWatch } from './port-watch.js';
import { explainNotListening } from './start-timeout.js';

export interface ReadinessListener {
  /** The configured checks all passed (once per run). */
  ready(): void;
  /** Not ready within the start timeout; `why` when the process table can tell (see start-timeout.ts). */
  startTimedOut(why: string | null): void;
  /** A health probe once ready. */
  probed(result: ProbeResult): void;
  /** While starting, its process tree listens on these ports and on none of its own (told once per run). */
  wrongPort?(listening: number[]): void;
}

const EADDRINUSE = /EADDRINUSE|address already in use/i;

/** Watches one run of the process (one pid, one port); stop() when that process exits. */
export class ReadinessWatch {
  private logMatched: boolean;
  private httpReady: boolean;
  private reported = false;
  private stopped = false;
  private portConflictSeen = false;
  private startTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private portWatch: PortWatch | null = null;
  private readonly logPattern: RegExp | null;

  constructor(
    private readonly config: ReadinessConfig,
    private readonly port: number,
    private readonly listener: ReadinessListener,
  ) {
    this.logPattern = config.logPattern === null ? null : compileUserPattern(config.logPattern);
    this.logMatched = this.logPattern === null;
    this.httpReady = config.http === null;
  }

  /** Whether the process said EADDRINUSE before it was ready. */
  get sawPortConflict(): boolean {
    return this.portConflictSeen;
  }

  /** Starts the checks; with the run's pid, also watches which ports its tree listens on until ready. */
  start(pid = 0, ports: readonly number[] = [this.port]): void {
    const wrongPort = this.listener.wrongPort?.bind(this.listener);
    if (pid > 0 && wrongPort) {
      this.portWatch = new PortWatch(pid, ports, wrongPort);
      this.portWatch.start(this.config.startTimeoutMs);
    }
    this.startTimer = setTimeout(() => {
      if (this.stopped || this.reported) return;
      // The run is killed for this: it is not to turn ready on the way out.
      this.stop();
      const why = pid > 0 ? explainNotListening(pid, this.port).catch(() => null) : Promise.resolve(null);
      void why.then((text) => this.listener.startTimedOut(text));
    }, this.config.startTimeoutMs);
    if (this.config.http) this.scheduleProbe(0);
    else this.checkReady();
  }

  /** One line of the process's output. Only lines before ready matter. */
  line(text: string): void {
    if (this.stopped || this.reported) return;
    const plain = stripAnsi(text);
    if (EADDRINUSE.test(plain)) this.portConflictSeen = true;
    if (!this.logMatched && this.logPattern?.test(plain)) {
      this.logMatched = true;
      this.checkReady();
    }
  }

  stop(): void {
    this.stopped = true;
    this.portWatch?.stop();
    if (this.startTimer) clearTimeout(this.startTimer);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.startTimer = null;
    this.probeTimer = null;
  }

  private checkReady(): void {
    if (this.stopped || this.reported || !this.logMatched || !this.httpReady) return;
    this.reported = true;
    this.portWatch?.stop();
    if (this.startTimer) clearTimeout(this.startTimer);
    this.listener.ready();
  }

  private scheduleProbe(delayMs: number): void {
    const http = this.config.http;
    if (!http) return;
    this.probeTimer = setTimeout(async () => {
      if (this.stopped) return;
      const result = await probeHttp(`http://127.0.0.1:${this.port}${http.path}`, http.timeoutMs, http.expectStatus);
      if (this.stopped) return;
      if (this.reported) {
        this.listener.probed(result);
      } else if (result.ok) {
        this.httpReady = true;
        this.checkReady();
      }
      // Once ready, a healthy instance is probed rarely: Traefik checks it every second anyway,
      // and probes were most of an idle supervisor's CPU. A failed probe brings the fast pace back.
      this.scheduleProbe(this.reported && result.ok ? http.healthIntervalMs : http.intervalMs);
    }, delayMs);
  }
}

/** Port-conflict retries in a row (each on a new port, without backoff) before a conflict counts as a crash. */
export const MAX_PORT_RETRIES = 3;

/**
 * Decides whether an exit after EADDRINUSE is retried at once on a new port. That only helps
 * when our port really is taken by another process: an app that binds a port of its own
 * (hard-coded, or PORT ignored) would otherwise be respawned in a tight loop forever, so
 * then it is a crash like any other, with backoff.
 */
export class PortConflictRetries {
  private inARow = 0;

  /** Call when a run that saw EADDRINUSE exited before it was ready. */
  async retryOnNewPort(port: number): Promise<boolean> {
    const retry = this.inARow < MAX_PORT_RETRIES && !(await isPortFree(port, '127.0.0.1'));
    this.inARow = retry ? this.inARow + 1 : 0;
    return retry;
  }

  /** A run got ready: conflicts before it no longer count. */
  reset(): void {
    this.inARow = 0;
  }
}

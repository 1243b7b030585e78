/**
 * Owns Traefik's dynamic config file and its confirmation. The supervisor pushes each change
 * (the servers that take traffic now, why, when); one loop writes the latest atomically and waits
 * until Traefik's API shows exactly those servers. Bursts collapse: only the latest push is written,
 * and a newer push cuts short the wait for an older one. A failure is written in the same turn when
 * no write is in flight: requests are failing on that server meanwhile.
 * It heals itself: a write that fails (ENOSPC, EACCES, a directory gone) is retried with backoff, and
 * a write Traefik does not show within a bound is written again unchanged (a touch: a fresh file
 * event for a watcher that dropped one), with backoff, until Traefik shows it. The status says what is
 * wrong and since when, until a write is confirmed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type RouteServer, serverUrl } from '../../core/traefik/dynamic-config.js';
import type { ServersWait } from '../../adapters/traefik/api-client.js';
import type { WriteResult } from '../../adapters/traefik/config-writer.js';
import { Observers } from '../observers.js';
import {
  type ExitTiming,
  type RouteChange,
  type RouteEvents,
  type RouteSyncStatus,
  emptyRouteStatus,
  notConfirmedProblem,
  notWrittenProblem,
} from './route-events.js';
import { type RouteReconcilerOptions, renderRoutes, retryDelayMs } from './route-options.js';

export type { RouteReconcilerOptions } from './route-options.js';

/** The latest pushed servers; a new id for every push (and for a resync, which `force`s a touch). */
interface Target {
  servers: RouteServer[];
  id: number;
  force: boolean;
}

type Outcome = 'done' | 'retry' | 'superseded';

export class RouteReconciler {
  readonly status: RouteSyncStatus = emptyRouteStatus();
  private readonly observers = new Observers<RouteEvents>();
  private target: Target = { servers: [], id: 0, force: false };
  private nextId = 0;
  /** The newest target id that had an outcome (confirmed, reported, failed, or written without an API). */
  private settledId = -1;
  private readonly waiters: Array<{ id: number; resolve: () => void }> = [];
  /** Content this reconciler last wrote successfully, and whether Traefik showed it. */
  private onDisk: { content: string; confirmed: boolean } | null = null;
  /** The first write done for the current target: confirmMs is measured from it. */
  private writtenFor = { id: -1, at: 0 };
  /** Exits pushed and not yet in a write; exits written and not yet confirmed. */
  private pendingExits: Array<{ name: string; at: number }> = [];
  private unconfirmedExits: Array<{ name: string; at: number }> = [];
  private problemSince: { kind: 'write' | 'confirm'; at: number } | null = null;
  /** Aborts the wait for Traefik or the backoff sleep: a newer target, a flush, or close(). */
  private wake: AbortController | null = null;
  private running = false;
  private closed = false;

  constructor(private readonly opts: RouteReconcilerOptions) {}

  observe(observer: Partial<RouteEvents>): () => void {
    return this.observers.add(observer);
  }

  /** A change of the servers that take traffic. A failure is written before this returns when no write is in flight. */
  push(change: RouteChange): void {
    if (this.closed) return;
    this.target = { servers: [...change.servers], id: ++this.nextId, force: false };
    if (change.cause === 'failed' && change.exited) this.pendingExits.push({ name: change.instance, at: change.at });
    // Before the logs and observers the same event wakes (they took ~0.7 ms ahead of a deferred write).
    if (change.cause === 'failed') this.writeInThisTurn();
    this.kick();
  }

  /** Resolves when the latest pushed servers are written and confirmed, or given up on for now (the healing goes on). */
  async flush(): Promise<RouteSyncStatus> {
    if (this.closed) return this.status;
    const settled = this.settledId >= this.target.id;
    if (settled && this.problemSince === null && (this.onDisk?.confirmed || !this.opts.api)) return this.status;
    // Settled with a problem: try again now rather than at the next backoff step.
    if (settled) this.target = { ...this.target, id: ++this.nextId };
    return this.untilSettled();
  }

  /** After Traefik restarted or its directory was recreated: writes the routes again and waits for Traefik to show them. */
  async resync(): Promise<RouteSyncStatus> {
    if (this.closed) return this.status;
    this.target = { ...this.target, id: ++this.nextId, force: true };
    if (this.onDisk) this.onDisk.confirmed = false;
    return this.untilSettled();
  }

  /** Writes the current routes without asking Traefik: before it runs, so that it answers 503 (no servers), not 404. */
  async writeUnconfirmed(): Promise<void> {
    if (this.closed) return;
    const target = this.target;
    const content = renderRoutes(target.servers, this.opts);
    try {
      this.recordWrite(target, content, await this.opts.writer.rewrite(content));
    } catch (error) {
      this.writeFailed(error as Error);
      this.kick(); // retried with backoff from here
    }
  }

  /** Shutdown: no writes after this, no retries; a write under way finishes. The file stays as last written. */
  close(): void {
    this.closed = true;
    this.wake?.abort();
    this.settle(Number.MAX_SAFE_INTEGER);
  }

  private untilSettled(): Promise<RouteSyncStatus> {
    const id = this.target.id;
    const settled = new Promise<RouteSyncStatus>((resolve) => this.waiters.push({ id, resolve: () => resolve(this.status) }));
    this.kick();
    return settled;
  }

  private settle(id: number): void {
    this.settledId = Math.max(this.settledId, id);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.id > this.settledId) continue;
      this.waiters.splice(i, 1);
      waiter.resolve();
    }
  }

  private kick(): void {
    this.wake?.abort();
    if (this.running || this.closed) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    // Let the rest of the current turn's changes land before rendering.
    await Promise.resolve();
    let id = -1;
    let attempt = 0;
    let startedAt = 0;
    try {
      while (!this.closed) {
        const target = this.target;
        if (target.id !== id) [id, attempt, startedAt] = [target.id, 0, Date.now()];
        const wake = new AbortController();
        this.wake = wake;
        const outcome = await this.attemptSafely(target, attempt, startedAt, wake.signal);
        if (this.target.id !== id) continue;
        if (outcome === 'done') break;
        if (outcome === 'superseded') continue;
        attempt++;
        // A failed write, or a confirmation past its timeout, backs off; within the timeout each wait is the backoff.
        const backOff = this.problemSince?.kind === 'write' || Date.now() - startedAt >= this.opts.confirmTimeoutMs;
        if (backOff) await sleep(retryDelayMs(this.opts, attempt), undefined, { signal: wake.signal }).catch(() => undefined);
      }
    } finally {
      this.running = false;
      this.wake = null;
    }
  }

  /** An observer that throws must not end the loop: reported as `failed`, this change counts as done. */
  private async attemptSafely(target: Target, attempt: number, startedAt: number, signal: AbortSignal): Promise<Outcome> {
    try {
      return await this.attempt(target, attempt, startedAt, signal);
    } catch (error) {
      try {
        this.observers.emit('failed', error as Error);
      } catch {
        // An observer of `failed` threw too: nothing left to tell.
      }
      this.settle(target.id);
      return 'done';
    }
  }

  /** One write (or touch) of `target` and one wait for Traefik to show it. */
  private async attempt(target: Target, attempt: number, startedAt: number, signal: AbortSignal): Promise<Outcome> {
    const content = renderRoutes(target.servers, this.opts);
    const onDisk = this.onDisk?.content === content;
    if (onDisk && !target.force && attempt === 0 && (this.onDisk!.confirmed || !this.opts.api) && this.problemSince === null) {
      this.settle(target.id);
      return 'done';
    }
    // Unchanged but asked about before and not shown (or a resync, or a retry): touch it, for a fresh file event.
    const touch = onDisk && (attempt > 0 || target.force || this.status.confirmed === false);
    if (!onDisk || touch) {
      let result: WriteResult;
      try {
        result = await (touch ? this.opts.writer.rewrite(content) : this.opts.writer.write(content));
      } catch (error) {
        this.writeFailed(error as Error);
        this.settle(target.id);
        return 'retry';
      }
      this.recordWrite(target, content, result);
      if (touch) this.touched(target, attempt);
    }
    if (!this.opts.api) {
      this.settle(target.id);
      return 'done';
    }
    return this.confirm(target, attempt, startedAt, signal);
  }

  private async confirm(target: Target, attempt: number, startedAt: number, signal: AbortSignal): Promise<Outcome> {
    const api = this.opts.api!;
    const { confirmTimeoutMs } = this.opts;
    const touchAfterMs = Math.min(this.opts.touchAfterMs ?? 1_000, confirmTimeoutMs);
    const left = startedAt + confirmTimeoutMs - Date.now();
    const waitMs = left > 0 ? Math.min(touchAfterMs * 2 ** attempt, left) : touchAfterMs;
    const expected = target.servers.map((s) => serverUrl(this.opts.backendHost, s.port)).sort();
    const seen = await api.waitForServers(this.opts.serviceName, expected, waitMs, signal);
    if (seen.aborted || this.target.id !== target.id) return 'superseded';
    if (seen.ok) {
      this.confirmed(target, startedAt);
      return 'done';
    }
    if (Date.now() - startedAt >= confirmTimeoutMs) this.notConfirmed(target, expected, seen);
    return 'retry';
  }

  /** The failure fast path: a synchronous write when the writer is idle; else (or when it throws) the loop writes and reports. */
  private writeInThisTurn(): void {
    const target = this.target;
    const content = renderRoutes(target.servers, this.opts);
    let result: WriteResult | null = null;
    try {
      result = this.opts.writer.writeIfIdle(content);
    } catch {
      return; // the loop writes again at once and reports the failure
    }
    // Outside the try: what an observer throws is not a failed write.
    if (result) this.recordWrite(target, content, result);
  }

  private recordWrite(target: Target, content: string, result: WriteResult): void {
    const now = Date.now();
    const fresh = this.onDisk?.content !== content;
    this.onDisk = { content, confirmed: fresh ? false : this.onDisk!.confirmed };
    if (this.writtenFor.id !== target.id) this.writtenFor = { id: target.id, at: now };
    if (this.problemSince?.kind === 'write') this.clearProblem();
    if (!fresh || !result.changed) return;
    Object.assign(this.status, { written: target.servers.map((s) => s.name), writtenAt: now, confirmed: null });
    this.status.writes++;
    const names = new Set(target.servers.map((s) => s.name));
    const reflected = this.pendingExits.filter((exit) => !names.has(exit.name)).sort((a, b) => a.at - b.at);
    this.pendingExits = [];
    this.unconfirmedExits.push(...reflected);
    this.observers.emit('written', target.servers, result.path, timed(reflected, now));
  }

  private touched(target: Target, attempt: number): void {
    this.status.touches = (this.status.touches ?? 0) + 1;
    this.observers.emit('touched', target.servers, Math.max(1, attempt));
  }

  private confirmed(target: Target, startedAt: number): void {
    const now = Date.now();
    const elapsedMs = now - (this.writtenFor.id === target.id ? this.writtenFor.at : startedAt);
    if (this.onDisk) this.onDisk.confirmed = true;
    this.clearProblem();
    Object.assign(this.status, { confirmed: true, confirmMs: elapsedMs });
    const exits = timed(this.unconfirmedExits.splice(0), now);
    this.settle(target.id);
    this.observers.emit('confirmed', target.servers, elapsedMs, exits);
  }

  private notConfirmed(target: Target, expected: string[], seen: ServersWait): void {
    const first = this.problemSince?.kind !== 'confirm';
    if (first) this.problemSince = { kind: 'confirm', at: this.writtenFor.at || Date.now() };
    const problem = notConfirmedProblem(this.opts.confirmTimeoutMs, expected, seen, this.problemSince!.at);
    const news = first || problem !== this.status.problem;
    Object.assign(this.status, { confirmed: false, problem });
    this.settle(target.id);
    // Told once a streak (again when what Traefik shows changes): one that never shows them is not a warning every touch.
    if (news) this.observers.emit('notConfirmed', target.servers, problem);
  }

  private writeFailed(error: Error): void {
    // What is on disk is unknown now: the next attempt writes, whatever it compares with.
    this.onDisk = null;
    if (this.problemSince?.kind !== 'write') this.problemSince = { kind: 'write', at: Date.now() };
    // Not live: `status` shows the problem (it shows one only for routes not confirmed).
    Object.assign(this.status, { confirmed: false, problem: notWrittenProblem(error, this.problemSince.at) });
    this.observers.emit('failed', error);
  }

  private clearProblem(): void {
    this.problemSince = null;
    this.status.problem = null;
  }
}

function timed(exits: ReadonlyArray<{ name: string; at: number }>, now: number): ExitTiming[] {
  return exits.map((exit) => ({ ...exit, ms: now - exit.at }));
}

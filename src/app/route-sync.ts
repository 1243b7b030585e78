/**
 * Keeps Traefik's dynamic config equal to the set of instances that take traffic.
 * Every change marks the routes dirty; one loop renders the whole config from a snapshot,
 * skips an unchanged render, writes it atomically, and waits until Traefik's API shows
 * exactly the written servers. Bursts collapse: only the latest snapshot is written, and a
 * newer change cuts short the wait for the confirmation of an older one. A server that failed
 * (removeNow) is written at once, in the same tick when no write is in flight: requests are
 * failing on it meanwhile.
 */
import type { BalancerConfig } from '../core/config/types.js';
import {
  type RouteServer, dynamicConfigText, renderDynamicConfig, serverUrl,
} from '../core/traefik/dynamic-config.js';
import type { TraefikApi } from '../adapters/traefik/api-client.js';
import type { DynamicConfigWriter, WriteResult } from '../adapters/traefik/config-writer.js';
import { Observers } from './observers.js';

export interface RouteSyncStatus {
  /** Names of the instances in the last written config. */
  written: string[];
  writtenAt: number | null;
  /** Whether Traefik's API showed the last written servers; null = not confirmed (yet, or no API). */
  confirmed: boolean | null;
  /** ms from write to Traefik showing it, for the last confirmed write. */
  confirmMs: number | null;
  /** Why the last confirmation failed. */
  problem: string | null;
  writes: number;
}

export interface RouteSyncEvents {
  written(servers: RouteServer[], path: string): void;
  confirmed(servers: RouteServer[], elapsedMs: number): void;
  notConfirmed(servers: RouteServer[], problem: string): void;
  failed(error: Error): void;
}

export interface RouteSyncOptions {
  serviceName: string;
  entryPoint: string;
  backendHost: string;
  balancer: BalancerConfig;
  /** False for a Traefik that is not ours: its other providers may define the default TLS store. */
  defaultCertificate: boolean;
  writer: DynamicConfigWriter;
  /** Traefik's API to confirm against; null (external Traefik without apiUrl) = write only. */
  api: TraefikApi | null;
  confirmTimeoutMs: number;
  /** The servers that take traffic now. */
  snapshot: () => RouteServer[];
}

export class RouteSync {
  private dirty = false;
  private running: Promise<void> | null = null;
  private closed = false;
  /** Aborts the wait for Traefik's confirmation once a newer change is waiting. */
  private superseded: AbortController | null = null;
  private readonly observers = new Observers<RouteSyncEvents>();
  readonly status: RouteSyncStatus = { written: [], writtenAt: null, confirmed: null, confirmMs: null, problem: null, writes: 0 };

  constructor(private readonly opts: RouteSyncOptions) {}

  observe(observer: Partial<RouteSyncEvents>): () => void {
    return this.observers.add(observer);
  }

  /** Something that decides the routes changed: sync soon (coalesced). Ignored once closed. */
  markDirty(): void {
    if (this.closed) return;
    this.dirty = true;
    this.superseded?.abort();
    this.running ??= this.loop().finally(() => { this.running = null; });
  }

  /**
   * A server failed (its process exited, or it is unhealthy): writes the snapshot in this tick,
   * before the logs and observers the same event wakes (they took ~0.7 ms ahead of a deferred
   * write), then lets the loop confirm it. Falls back to markDirty while a write is queued.
   */
  removeNow(): void {
    if (this.closed) return;
    const servers = this.opts.snapshot();
    let result: WriteResult | null = null;
    try {
      result = this.opts.writer.writeIfIdle(this.render(servers));
    } catch (error) {
      this.observers.emit('failed', error as Error);
    }
    // Outside the try: what an observer throws is not a failed write.
    if (result) this.wrote(servers, result);
    this.markDirty();
  }

  /** Syncs now and resolves when the current snapshot is written (and confirmed, or given up on). */
  async flush(): Promise<RouteSyncStatus> {
    this.markDirty();
    while (this.running) await this.running;
    return this.status;
  }

  /**
   * After Traefik was restarted or its directory recreated: writes the current snapshot again
   * (whatever the writer last wrote, the file may be gone) and waits for Traefik to confirm it.
   */
  async resync(): Promise<RouteSyncStatus> {
    this.opts.writer.forget();
    this.status.confirmed = false; // confirm even when the file comes out unchanged
    return this.flush();
  }

  /**
   * Writes the current snapshot without asking Traefik: for before Traefik runs, so that it
   * answers 503 (a service with no servers), not 404, from its first request.
   */
  async writeUnconfirmed(): Promise<void> {
    this.opts.writer.forget(); // the file may have been deleted since the last write
    await this.write(this.opts.snapshot());
  }

  /** Shutdown: no writes after this; a sync under way finishes. The file stays as last written. */
  close(): void {
    this.closed = true;
  }

  private async loop(): Promise<void> {
    // Let the rest of the current tick's changes land before rendering.
    await Promise.resolve();
    while (this.dirty) {
      this.dirty = false;
      const servers = this.opts.snapshot();
      const result = await this.write(servers);
      // Failed (reported), or unchanged and confirmed (or not confirmable: no API): nothing to do.
      if (!result || (!result.changed && (this.status.confirmed === true || !this.opts.api))) continue;
      try {
        await this.confirm(servers);
      } catch (error) {
        // Only an observer can throw here (the API wait returns its failures): the loop goes on.
        this.observers.emit('failed', error as Error);
      }
    }
  }

  /** Renders and writes (queued behind other writes); null when the write failed (reported as `failed`). */
  private async write(servers: RouteServer[]): Promise<WriteResult | null> {
    let result: WriteResult;
    try {
      result = await this.opts.writer.write(this.render(servers));
    } catch (error) {
      this.observers.emit('failed', error as Error);
      return null;
    }
    // Outside the try: what an observer throws is not a failed write.
    this.wrote(servers, result);
    return result;
  }

  private render(servers: RouteServer[]): string {
    return dynamicConfigText(renderDynamicConfig(servers, {
      serviceName: this.opts.serviceName,
      entryPoint: this.opts.entryPoint,
      backendHost: this.opts.backendHost,
      balancer: this.opts.balancer,
      defaultCertificate: this.opts.defaultCertificate,
    }));
  }

  private wrote(servers: RouteServer[], result: WriteResult): void {
    if (!result.changed) return;
    Object.assign(this.status, { written: servers.map((s) => s.name), writtenAt: Date.now(), confirmed: null });
    this.status.writes++;
    this.observers.emit('written', servers, result.path);
  }

  /** Waits until Traefik's API shows exactly these servers; a newer change ends the wait (it gets its own). */
  private async confirm(servers: RouteServer[]): Promise<void> {
    const api = this.opts.api;
    if (!api || this.dirty) return;
    const expected = servers.map((s) => serverUrl(this.opts.backendHost, s.port)).sort();
    this.superseded = new AbortController();
    const seen = await api.waitForServers(this.opts.serviceName, expected, this.opts.confirmTimeoutMs, this.superseded.signal);
    this.superseded = null;
    if (seen.aborted) return;
    if (seen.ok) {
      Object.assign(this.status, { confirmed: true, confirmMs: seen.elapsedMs, problem: null });
      this.observers.emit('confirmed', servers, seen.elapsedMs);
      return;
    }
    const problem = `Traefik's API did not show the written servers within ${this.opts.confirmTimeoutMs}ms`
      + ` (expected ${JSON.stringify(expected)}, saw ${JSON.stringify(seen.lastSeen)}${seen.errors.length ? `; errors: ${seen.errors.join('; ')}` : ''})`;
    Object.assign(this.status, { confirmed: false, problem });
    this.observers.emit('notConfirmed', servers, problem);
  }
}

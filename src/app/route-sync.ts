/**
 * Keeps Traefik's dynamic config equal to the set of instances that take traffic.
 * Every change marks the routes dirty; one loop renders the whole config from a snapshot,
 * skips an unchanged render, writes it atomically, and waits until Traefik's API shows
 * exactly the written servers. Bursts collapse: only the latest snapshot is written.
 */
import type { BalancerConfig } from '../core/config/types.js';
import {
  type RouteServer, dynamicConfigToYaml, renderDynamicConfig, serverUrl,
} from '../core/traefik/dynamic-config.js';
import type { TraefikApi } from '../adapters/traefik/api-client.js';
import type { DynamicConfigWriter } from '../adapters/traefik/config-writer.js';
import { setTimeout as sleep } from 'node:timers/promises';

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
  api: () => TraefikApi | null;
  confirmTimeoutMs: number;
  snapshot: () => RouteServer[];
  events: RouteSyncEvents;
}

export class RouteSync {
  private dirty = false;
  private running: Promise<void> | null = null;
  private stopped = false;
  readonly status: RouteSyncStatus = { written: [], writtenAt: null, confirmed: null, confirmMs: null, problem: null, writes: 0 };

  constructor(private readonly opts: RouteSyncOptions) {}

  /** Something that decides the routes changed: sync soon (coalesced). */
  markDirty(): void {
    if (this.stopped) return;
    this.dirty = true;
    this.running ??= this.loop().finally(() => { this.running = null; });
  }

  /** Syncs now and resolves when the current snapshot is written (and confirmed, or given up on). */
  async flush(): Promise<RouteSyncStatus> {
    this.markDirty();
    while (this.running) await this.running;
    return this.status;
  }

  /** After this no more writes happen (shutdown), except an explicit final flush. */
  close(): void {
    this.stopped = true;
  }

  private render(servers: readonly RouteServer[]): string {
    return dynamicConfigToYaml(renderDynamicConfig(servers, {
      serviceName: this.opts.serviceName,
      entryPoint: this.opts.entryPoint,
      backendHost: this.opts.backendHost,
      balancer: this.opts.balancer,
      defaultCertificate: this.opts.defaultCertificate,
    }));
  }

  private urls(servers: readonly RouteServer[]): string[] {
    return servers.map((s) => serverUrl(this.opts.backendHost, s.port)).sort();
  }

  private async loop(): Promise<void> {
    // Let the rest of the current tick's changes land before rendering.
    await Promise.resolve();
    while (this.dirty) {
      this.dirty = false;
      const servers = this.opts.snapshot();
      try {
        const result = await this.opts.writer.write(this.render(servers));
        if (!result.changed && this.status.confirmed !== false) continue;
        if (result.changed) {
          this.status.written = servers.map((s) => s.name);
          this.status.writtenAt = Date.now();
          this.status.writes++;
          this.status.confirmed = null;
          this.opts.events.written(servers, result.path);
        }
        await this.confirm(servers);
      } catch (error) {
        this.opts.events.failed(error as Error);
      }
    }
  }

  /** Polls the API until it shows exactly these servers; gives up early when a newer change is waiting. */
  private async confirm(servers: RouteServer[]): Promise<void> {
    const api = this.opts.api();
    if (!api) return;
    const expected = this.urls(servers);
    const started = Date.now();
    let seen: string[] | null = null;
    let lastError: string[] = [];
    while (Date.now() - started < this.opts.confirmTimeoutMs) {
      if (this.dirty) return; // superseded: the next write will be confirmed instead
      try {
        const service = await api.service(this.opts.serviceName);
        seen = service ? [...service.servers].sort() : null;
        lastError = service?.error ?? [];
        const matches = expected.length === 0
          ? seen === null || seen.length === 0
          : seen !== null && seen.length === expected.length && seen.every((url, i) => url === expected[i]);
        if (matches) {
          const elapsed = Date.now() - started;
          Object.assign(this.status, { confirmed: true, confirmMs: elapsed, problem: null });
          this.opts.events.confirmed(servers, elapsed);
          return;
        }
      } catch {
        // Traefik restarting or not up yet: keep polling until the deadline.
      }
      await sleep(25);
    }
    const problem = `Traefik's API did not show the written servers within ${this.opts.confirmTimeoutMs}ms`
      + ` (expected ${JSON.stringify(expected)}, saw ${JSON.stringify(seen)}${lastError.length ? `; errors: ${lastError.join('; ')}` : ''})`;
    Object.assign(this.status, { confirmed: false, problem });
    this.opts.events.notConfirmed(servers, problem);
  }
}

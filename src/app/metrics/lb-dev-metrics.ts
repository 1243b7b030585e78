/**
 * lb-dev's Prometheus metrics, fed by the events that already exist: the supervisor's
 * `changed`, the route reconciler's `written`/`confirmed`/..., the control server's requests.
 * Series that are a snapshot (instance state, request counts) are read when a scrape asks.
 * No timer of its own: between scrapes and events it costs nothing.
 */
import type { Counter } from 'prom-client';
import { type RequestHandler, metricsRequestHandler } from '../../adapters/metrics-server.js';
import { instanceChanges, type InstanceSnapshot } from '../../core/metrics/instance-changes.js';
import type { Phase } from '../../core/instance/state-machine.js';
import type { InstanceStatus } from '../instance.js';
import type { RouteEvents } from '../routes/route-events.js';
import { type LbDevRegistry, createLbDevRegistry } from './registry.js';

const PHASES = ['starting', 'ready', 'unhealthy', 'crashed', 'stopped'] as const satisfies readonly Phase[];

/** What Traefik's access log counted (src/adapters/traefik/access-log-counter.ts). */
export interface RequestCounts {
  byUrl(): ReadonlyMap<string, number>;
  errorsByUrl(): ReadonlyMap<string, number>;
  withoutBackend(): number;
}

export interface MetricsSources {
  /** Every instance now (none before the supervisor exists). */
  instances(): InstanceStatus[];
  /** The access log's counts; null when there is none (external Traefik, accessLog off). */
  requests(): RequestCounts | null;
  /** The URL Traefik sends an instance's requests to (the access log's ServiceURL). */
  backendUrl(port: number): string | null;
}

interface Observable<E> {
  observe(observer: Partial<E>): () => void;
}

export class LbDevMetrics {
  readonly metrics: LbDevRegistry;
  /**
   * node:http `(req, res)` for GET/HEAD /metrics (404 elsewhere): what `up`'s own metrics
   * listener serves, and what any other server (the dashboard's) can route /metrics to.
   */
  readonly handleMetricsRequest: RequestHandler;
  /** Each instance as last seen, to tell what a `changed` was. */
  private readonly seen = new Map<string, InstanceSnapshot>();

  constructor(private readonly sources: MetricsSources) {
    this.metrics = createLbDevRegistry({
      instanceState: (gauge) => {
        gauge.reset();
        for (const i of sources.instances()) {
          for (const state of PHASES) gauge.set({ group: i.group, name: i.name, state }, i.state === state ? 1 : 0);
        }
      },
      instanceInBalancer: (gauge) => {
        gauge.reset();
        for (const i of sources.instances()) gauge.set({ group: i.group, name: i.name }, i.inBalancer ? 1 : 0);
      },
      requests: (counter) => this.fillPerInstance(counter, (counts) => counts.byUrl()),
      requestErrors: (counter) => this.fillPerInstance(counter, (counts) => counts.errorsByUrl()),
      requestsWithoutBackend: (counter) => {
        counter.reset();
        counter.inc(sources.requests()?.withoutBackend() ?? 0);
      },
    });
    this.handleMetricsRequest = metricsRequestHandler(this.metrics.registry);
  }

  get registry(): LbDevRegistry['registry'] {
    return this.metrics.registry;
  }

  /** Counts restarts, crash exits and readiness times from the supervisor's changes. */
  watchInstances(supervisor: Observable<{ changed(): void }>): () => void {
    for (const status of this.sources.instances()) this.seen.set(status.name, status);
    return supervisor.observe({ changed: () => this.instancesChanged() });
  }

  /** Counts route writes and problems, and records exit -> written and written -> confirmed as the reconciler timed them. */
  watchRoutes(routes: Observable<RouteEvents>): () => void {
    const { routeWrites, routeProblems, exitToWrittenSeconds, writtenToConfirmedSeconds } = this.metrics;
    return routes.observe({
      written: (_servers, _path, exits) => {
        routeWrites.inc();
        // Only a write an exit caused has the figure: from the earliest exit it reflects.
        if (exits[0]) exitToWrittenSeconds.observe(exits[0].ms / 1000);
      },
      confirmed: (_servers, elapsedMs) => writtenToConfirmedSeconds.observe(elapsedMs / 1000),
      notConfirmed: () => routeProblems.inc({ kind: 'not_confirmed' }),
      failed: () => routeProblems.inc({ kind: 'write_failed' }),
    });
  }

  /** For the control server's observer: one request answered (`ok` or its error code). */
  controlRequest(method: string, outcome: string): void {
    this.metrics.controlRequests.inc({ method, outcome });
  }

  private instancesChanged(): void {
    const { restarts, crashExits, readySeconds } = this.metrics;
    for (const status of this.sources.instances()) {
      const labels = { group: status.group, name: status.name };
      for (const change of instanceChanges(this.seen.get(status.name), status)) {
        if (change.type === 'restarted') restarts.inc(labels, change.count);
        else if (change.type === 'crashed') crashExits.inc({ ...labels, code: change.code === null ? '' : String(change.code), signal: change.signal ?? '' });
        else readySeconds.observe({ group: status.group }, change.afterMs / 1000);
      }
      this.seen.set(status.name, status);
    }
  }

  private fillPerInstance(counter: Counter, pick: (counts: RequestCounts) => ReadonlyMap<string, number>): void {
    counter.reset();
    const counts = this.sources.requests();
    if (!counts) return;
    const byUrl = pick(counts);
    for (const i of this.sources.instances()) {
      const url = i.port === null ? null : this.sources.backendUrl(i.port);
      counter.inc({ group: i.group, name: i.name }, url === null ? 0 : (byUrl.get(url) ?? 0));
    }
  }
}

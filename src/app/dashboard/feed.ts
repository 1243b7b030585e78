/**
 * What the dashboard shows, kept up to date: the instances with their request rates (a
 * minute of per-second samples for the sparklines), and a timeline of what happened,
 * derived from the supervisor's and the route sync's events. Listeners get each new
 * timeline event and a fresh state on every change (and once a second, for the rates).
 */
import { type InstanceSnapshot, type TimelineEvent, type TimelineKind, diffInstances } from '../../core/dashboard/timeline.js';
import { serverUrl } from '../../core/traefik/dynamic-config.js';
import type { InstanceStatus } from '../instance.js';
import type { RouteSyncStatus } from '../routes/route-events.js';
import type { Supervisor } from '../supervisor.js';

const TIMELINE_LENGTH = 300;
const SPARK_SAMPLES = 60;
const SAMPLE_MS = 1_000;

export interface RequestCounts {
  byUrl(): ReadonlyMap<string, number>;
  errorsByUrl(): ReadonlyMap<string, number>;
}

export interface DashboardInstance extends InstanceStatus {
  requests: number;
  errors: number;
  /** Requests in the last second, and per second over the last minute (oldest first). */
  rps: number;
  history: number[];
}

export interface DashboardState {
  now: number;
  balancerUrl: string;
  instances: DashboardInstance[];
  groups: Array<{ name: string; instances: number }>;
  routes: RouteSyncStatus;
  /** False when lb-dev does not read Traefik's access log (external Traefik, or accessLog: false). */
  counting: boolean;
  chaos: { on: boolean; intervalMs: number | null; keep: number | null; signal: string | null; kills: number };
}

export type FeedMessage = { type: 'state'; state: DashboardState } | { type: 'event'; event: TimelineEvent };

export interface FeedDeps {
  supervisor: Supervisor;
  requests: () => RequestCounts | null;
  backendHost: string;
  balancerUrl: string;
  chaos: () => DashboardState['chaos'];
}

export class DashboardFeed {
  private readonly events: TimelineEvent[] = [];
  private readonly listeners = new Set<(message: FeedMessage) => void>();
  private readonly history = new Map<string, number[]>();
  private readonly lastCount = new Map<string, { url: string; count: number }>();
  private readonly rps = new Map<string, number>();
  private previous: InstanceSnapshot[] = [];
  private timer: NodeJS.Timeout | null = null;
  private pushQueued = false;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly deps: FeedDeps) {}

  start(): void {
    const sup = this.deps.supervisor;
    this.previous = sup.status();
    this.unsubscribe.push(
      sup.observe({ changed: () => this.instancesChanged() }),
      sup.routes.observe({
        written: (servers) => this.note('routes-written', null, `routes written: ${servers.map((s) => s.name).join(', ') || 'no servers'}`),
        confirmed: (servers, ms) => this.note('routes-confirmed', null, `Traefik confirmed ${servers.length} server(s) in ${ms} ms`),
        notConfirmed: (_servers, problem) => this.note('routes-not-confirmed', null, problem),
        failed: (error) => this.note('routes-not-confirmed', null, `routes not written: ${error.message}`),
      }),
    );
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const off of this.unsubscribe.splice(0)) off();
    this.listeners.clear();
  }

  /** Adds an event to the timeline (and tells the listeners). */
  note(kind: TimelineKind, instance: string | null, text: string): void {
    this.record({ time: Date.now(), kind, instance, text });
  }

  timeline(): TimelineEvent[] {
    return [...this.events];
  }

  subscribe(listener: (message: FeedMessage) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  state(): DashboardState {
    const requests = this.deps.requests();
    const counts = requests?.byUrl();
    const errors = requests?.errorsByUrl();
    const instances = this.deps.supervisor.status().map((i) => {
      const url = i.port === null ? null : serverUrl(this.deps.backendHost, i.port);
      return {
        ...i,
        requests: url ? (counts?.get(url) ?? 0) : 0,
        errors: url ? (errors?.get(url) ?? 0) : 0,
        rps: this.rps.get(i.name) ?? 0,
        history: this.history.get(i.name) ?? [],
      };
    });
    const groups = new Map<string, number>();
    for (const i of instances) groups.set(i.group, (groups.get(i.group) ?? 0) + 1);
    return {
      now: Date.now(),
      balancerUrl: this.deps.balancerUrl,
      instances,
      groups: [...groups].map(([name, count]) => ({ name, instances: count })),
      routes: { ...this.deps.supervisor.routes.status },
      counting: requests !== null,
      chaos: this.deps.chaos(),
    };
  }

  /** A fresh state for the listeners, at most once per tick however many changes came. */
  pushState(): void {
    if (this.pushQueued || this.listeners.size === 0) return;
    this.pushQueued = true;
    setImmediate(() => {
      this.pushQueued = false;
      if (this.listeners.size === 0) return;
      this.broadcast({ type: 'state', state: this.state() });
    });
  }

  private instancesChanged(): void {
    const now = this.deps.supervisor.status();
    for (const event of diffInstances(this.previous, now, Date.now())) this.record(event);
    this.previous = now;
    this.pushState();
  }

  private record(event: TimelineEvent): void {
    this.events.push(event);
    if (this.events.length > TIMELINE_LENGTH) this.events.splice(0, this.events.length - TIMELINE_LENGTH);
    this.broadcast({ type: 'event', event });
  }

  private broadcast(message: FeedMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  /** Requests per second per instance since the last sample (a restart on a new port starts again from 0). */
  private sample(): void {
    const counts = this.deps.requests()?.byUrl();
    const names = new Set<string>();
    for (const i of this.deps.supervisor.status()) {
      names.add(i.name);
      const url = i.port === null ? null : serverUrl(this.deps.backendHost, i.port);
      const count = url ? (counts?.get(url) ?? 0) : 0;
      const last = this.lastCount.get(i.name);
      const rate = last && last.url === url ? Math.max(0, count - last.count) : 0;
      this.lastCount.set(i.name, { url: url ?? '', count });
      this.rps.set(i.name, rate);
      const samples = this.history.get(i.name) ?? [];
      samples.push(rate);
      if (samples.length > SPARK_SAMPLES) samples.shift();
      this.history.set(i.name, samples);
    }
    for (const name of [...this.history.keys()]) {
      if (!names.has(name)) {
        this.history.delete(name);
        this.lastCount.delete(name);
        this.rps.delete(name);
      }
    }
    this.pushState();
  }
}

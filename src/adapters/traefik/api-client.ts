/**
 * Traefik's HTTP API (insecure API on the `traefik` entrypoint). Used to confirm that a
 * written config is live: Traefik reports parse errors only in its log, so the API showing
 * the servers we wrote is the proof.
 */
import { Agent } from 'node:http';
import { type GetAnswer, httpGet } from '../http-get.js';
import { pollUntil } from '../poll.js';

export interface ServiceView {
  /** Server URLs as Traefik holds them, sorted. */
  servers: string[];
  /** `{"<url>": "UP"|"DOWN"}`; empty until a router uses the service. */
  serverStatus: Record<string, string>;
  /** enabled | disabled | warning */
  status: string;
  error: string[];
}

export interface ServersWait {
  /** Traefik showed exactly the expected servers. */
  ok: boolean;
  /** Given up because the caller's signal fired (not ok, not timed out either). */
  aborted: boolean;
  elapsedMs: number;
  /** Servers seen at the last successful poll; null if the service was never seen. */
  lastSeen: string[] | null;
  /** The service's own errors at the last successful poll. */
  errors: string[];
}

export const POLL_INTERVAL_MS = 25;

export class TraefikApi {
  readonly baseUrl: string;
  private readonly fetchTimeoutMs: number;
  /** Confirming a route polls every 25 ms: one kept connection rather than one per poll. */
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 2 });

  constructor(baseUrl: string, fetchTimeoutMs = 1000) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.fetchTimeoutMs = fetchTimeoutMs;
  }

  /** True when /ping answers 200. */
  async ping(): Promise<boolean> {
    try {
      return (await this.get('/ping')).status === 200;
    } catch {
      return false;
    }
  }

  /** The file provider's service `name`; null when Traefik does not know it (404). Throws when the API does not answer. */
  async service(name: string): Promise<ServiceView | null> {
    const path = `/api/http/services/${encodeURIComponent(name)}@file`;
    const res = await this.get(path);
    if (res.status === 404) return null;
    if (res.status !== 200) throw new Error(`Traefik API ${this.baseUrl}${path}: expected 200 or 404, got ${res.status} ${res.body.slice(0, 200)}`);
    return parseService(JSON.parse(res.body));
  }

  /** Traefik's version string, or null when the API does not answer. */
  async version(): Promise<string | null> {
    try {
      const res = await this.get('/api/version');
      if (res.status !== 200) return null;
      const body = JSON.parse(res.body) as { Version?: unknown };
      return typeof body.Version === 'string' ? body.Version : null;
    } catch {
      return null;
    }
  }

  /**
   * Polls until the service holds exactly `expectedUrls` (any order). An empty list is met by a
   * service with no servers or by no service at all; a non-empty list needs the service.
   */
  async waitForServers(name: string, expectedUrls: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ServersWait> {
    const expected = normalise(expectedUrls);
    let lastSeen: string[] | null = null;
    let errors: string[] = [];
    const { outcome, elapsedMs } = await pollUntil(
      async () => {
        const view = await this.service(name);
        if (view === null) return expected.length === 0;
        lastSeen = view.servers;
        errors = view.error;
        return sameList(normalise(view.servers), expected);
      },
      { timeoutMs, intervalMs: POLL_INTERVAL_MS, signal },
    );
    return { ok: outcome === 'met', aborted: outcome === 'aborted', elapsedMs, lastSeen, errors };
  }

  private get(path: string): Promise<GetAnswer> {
    return httpGet(`${this.baseUrl}${path}`, { timeoutMs: this.fetchTimeoutMs, agent: this.agent });
  }
}

function parseService(body: unknown): ServiceView {
  const raw = (body ?? {}) as {
    loadBalancer?: { servers?: Array<{ url?: unknown }> };
    serverStatus?: Record<string, unknown>;
    status?: unknown;
    error?: unknown;
  };
  const servers = (raw.loadBalancer?.servers ?? [])
    .map((s) => s.url)
    .filter((url): url is string => typeof url === 'string')
    .sort();
  const serverStatus: Record<string, string> = {};
  for (const [url, state] of Object.entries(raw.serverStatus ?? {})) serverStatus[url] = String(state);
  return {
    servers,
    serverStatus,
    status: typeof raw.status === 'string' ? raw.status : 'unknown',
    error: Array.isArray(raw.error) ? raw.error.map(String) : [],
  };
}

/** Traefik may keep a trailing slash we did not write; compare without it. */
function normalise(urls: readonly string[]): string[] {
  return urls.map((u) => u.replace(/\/+$/, '')).sort();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * The dashboard's HTTP server on 127.0.0.1: the page (static files), the JSON API and its
 * live streams. Every request passes the guard (guard.ts) first; every failure is a coded
 * JSON answer, never a stack trace or a hang. Routes are added with route(): the app layer
 * adds the API (src/app/dashboard/api.ts), and others can add theirs (e.g. GET /metrics).
 * Connections and streams are capped so that the token holder always gets in
 * (connection-limits.ts).
 */
import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Socket } from 'node:net';
import { LbDevError, isLbDevError } from '../core/errors.js';
import { closeServer, listenLoopback } from '../adapters/http-listen.js';
import { allowedHosts } from '../core/text/loopback-host.js';
import {
  ConnectionLimits,
  type ConnectionLimitsOptions,
  type ConnectionStats,
  HEADERS_TIMEOUT_MS,
  MAX_CONNECTIONS,
  REQUEST_TIMEOUT_MS,
  TIMEOUT_CHECK_MS,
} from './connection-limits.js';
import { Refusal, checkHost, checkToken, readJsonBody, refuse, tokenMatches } from './guard.js';
import { SseStream } from './sse.js';

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The JSON object body of a POST ({} for a GET). */
  body: Record<string, unknown>;
  /** Starts a live stream (SSE) as the answer; the oldest of the token's streams closes beyond the cap. */
  openStream(): SseStream;
}

export interface DashboardRoute {
  method: 'GET' | 'POST';
  /** 'token': only with this run's token; 'none': read-only data anyone on this machine may read (e.g. metrics). */
  auth: 'token' | 'none';
  /**
   * Answers with the returned value as JSON; or writes the response itself (a stream, a
   * text format), in which case what it returns is ignored.
   */
  handle(request: RouteRequest): Promise<unknown>;
}

export interface DashboardServerOptions {
  port: number;
  token: string;
  /** Extra Host names accepted besides 127.0.0.1, localhost and [::1]. */
  extraHosts?: readonly string[];
  /** The caps of connection-limits.ts (tests make them smaller). */
  limits?: Partial<ConnectionLimitsOptions>;
}

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
const ASSET_DIR = new URL('./assets/', import.meta.url);

/** The HTTP status of a coded error a route threw. */
function statusOf(error: LbDevError): number {
  switch (error.code) {
    case 'USAGE':
      return 400;
    case 'INSTANCE_NOT_FOUND':
      return 404;
    case 'NOT_RUNNING':
      return 503;
    default:
      return 500;
  }
}

export class DashboardServer {
  private server: Server | null = null;
  private readonly routes = new Map<string, DashboardRoute>();
  private readonly hosts: ReadonlySet<string>;
  private readonly limits: ConnectionLimits;

  constructor(private readonly options: DashboardServerOptions) {
    this.hosts = allowedHosts(options.port, options.extraHosts);
    this.limits = new ConnectionLimits(options.limits);
  }

  /** What the connection limits hold and have dropped. */
  connectionStats(): ConnectionStats {
    return this.limits.stats();
  }

  /** `http://127.0.0.1:<port>`: where added routes are (e.g. `${origin}/metrics`). */
  get origin(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** The address to open, with the token. */
  get url(): string {
    return `${this.origin}/?token=${this.options.token}`;
  }

  /** Adds (or replaces) the route for `path` (`/api/kill`, `/metrics`). */
  route(path: string, route: DashboardRoute): void {
    this.routes.set(path, route);
  }

  async listen(): Promise<void> {
    const server = createServer(
      { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: TIMEOUT_CHECK_MS },
      (req, res) => void this.handle(req, res),
    );
    server.maxConnections = MAX_CONNECTIONS;
    server.on('connection', (socket: Socket) => this.limits.accept(socket));
    await listenLoopback(server, '127.0.0.1', this.options.port, "the dashboard's port (dashboard.port; false = no dashboard)", 'INTERNAL');
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    await closeServer(server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    try {
      checkHost(req, this.hosts);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // The page's own load (/?token=...) counts as the token holder's too.
      if (tokenMatches(req, url, this.options.token)) this.limits.authenticated(req.socket);
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      const asset = Object.hasOwn(ASSETS, url.pathname) ? ASSETS[url.pathname] : undefined;
      if (asset) {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw refuse(405, 'DASHBOARD_BAD_REQUEST', `${url.pathname}: expected GET, got ${req.method}`);
        const body = await readFile(new URL(asset.file, ASSET_DIR)).catch((error: Error) => {
          throw new LbDevError(
            'INTERNAL',
            `the dashboard's page is missing from this build (${error.message}): build with \`npm run build\`, which copies src/dashboard/assets`,
          );
        });
        res.writeHead(200, {
          'content-type': asset.type,
          'cache-control': 'no-store',
          'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
          'x-frame-options': 'DENY',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      const route = this.routes.get(url.pathname);
      if (!route) throw refuse(404, 'DASHBOARD_BAD_REQUEST', `expected a path of the dashboard (/, /api/...), got ${JSON.stringify(url.pathname)}`);
      if (req.method !== route.method) throw refuse(405, 'DASHBOARD_BAD_REQUEST', `${url.pathname}: expected ${route.method}, got ${req.method}`);
      if (route.auth === 'token') checkToken(req, url, this.options.token);
      const body = req.method === 'POST' ? await readJsonBody(req) : {};
      const openStream = () => {
        const stream = new SseStream(res);
        this.limits.stream(route.auth === 'token' ? this.options.token : '', res);
        return stream;
      };
      const result = await route.handle({ req, res, url, body, openStream });
      if (!res.headersSent) this.json(res, 200, result ?? null);
    } catch (thrown) {
      this.fail(res, thrown);
    }
  }

  private fail(res: ServerResponse, thrown: unknown): void {
    const [status, error] =
      thrown instanceof Refusal
        ? [thrown.status, thrown.error]
        : isLbDevError(thrown)
          ? [statusOf(thrown), thrown]
          : [500, new LbDevError('INTERNAL', thrown instanceof Error ? thrown.message : String(thrown))];
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // The request body may be unread (a refusal before reading it): close instead of keeping it alive.
    res.setHeader('connection', 'close');
    this.json(res, status, { error: { code: error.code, message: error.message } });
  }

  private json(res: ServerResponse, status: number, value: unknown): void {
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      status = 500;
      text = JSON.stringify({ error: { code: 'INTERNAL', message: `the answer could not be encoded as JSON: ${(error as Error).message}` } });
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text);
  }
}

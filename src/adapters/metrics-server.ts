/**
 * Serves a prom-client Registry over HTTP. `metricsRequestHandler(registry)` is a plain
 * (req, res) handler, so any node:http server can mount it (the dashboard's server can
 * route `/metrics` to it); MetricsServer is the small loopback listener `up` runs until then.
 * It answers only its own Host (core/text/loopback-host.ts, the dashboard's check): a page on a
 * host name rebound to 127.0.0.1 gets 403, not the metrics (which name every instance and port).
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Registry } from 'prom-client';
import { hostForUrl } from '../core/text/host-port.js';
import { allowedHosts, hostRefusal } from '../core/text/loopback-host.js';
import { closeServer, listenLoopback } from './http-listen.js';

export const METRICS_PATH = '/metrics';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** GET/HEAD /metrics -> the exposition; anything else 404/405. Never throws at the caller. */
export function metricsRequestHandler(registry: Registry): RequestHandler {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== METRICS_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found; metrics are at ${METRICS_PATH}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('expected GET or HEAD\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`collecting the metrics failed: ${(error as Error).message}\n`);
      },
    );
  };
}

/** `handler`, for requests whose Host is one of `hosts`; 403 with what was expected for the others. */
export function onlyHosts(hosts: ReadonlySet<string>, handler: RequestHandler): RequestHandler {
  return (req, res) => {
    const refusal = hostRefusal(req.headers.host, hosts);
    if (refusal === null) return handler(req, res);
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(`${refusal}\n`);
  };
}

export class MetricsServer {
  private server: Server | null = null;
  private readonly hosts: ReadonlySet<string>;

  /** `extraHosts`: names accepted besides loopback and `host` (host.docker.internal for a Prometheus in a bridge network). */
  constructor(
    private readonly handler: RequestHandler,
    private readonly host: string,
    private readonly port: number,
    extraHosts: readonly string[] = [],
  ) {
    this.hosts = allowedHosts(port, [host, ...extraHosts]);
  }

  get url(): string {
    return `http://${hostForUrl(this.host)}:${this.port}${METRICS_PATH}`;
  }

  async listen(): Promise<void> {
    const server = createServer(onlyHosts(this.hosts, this.handler));
    // Prometheus reuses its connection every scrape interval (5s by default): with Node's 5s
    // keep-alive the server could close it just as the next scrape goes out (a failed scrape).
    // close() drops idle connections, so this never holds up shutdown.
    server.keepAliveTimeout = 30_000;
    await listenLoopback(server, this.host, this.port, 'the metrics endpoint (metrics.port)', 'METRICS_LISTEN_FAILED');
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    await closeServer(server);
  }
}

// A stand-in for Traefik's API on 127.0.0.1, for tests of what asks it (TraefikApi, RouteSync).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for Traefik's API whose answers the test sets. */
export class FakeTraefik {
  servers: string[] | null = null; // null -> 404
  /** The service's `error` list. */
  errors: string[] = [];
  pingStatus = 200;
  serviceStatus = 200;
  requests: string[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push(req.url ?? '');
      if (req.url === '/ping') {
        res.writeHead(this.pingStatus).end('OK');
      } else if (req.url === '/api/version') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Version: '3.6.25' }));
      } else if (req.url === '/api/http/services/lb-dev@file') {
        if (this.serviceStatus !== 200) return void res.writeHead(this.serviceStatus).end('boom');
        if (this.servers === null) return void res.writeHead(404).end('404 page not found');
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            loadBalancer: this.servers.length ? { servers: this.servers.map((url) => ({ url })) } : {},
            status: 'enabled',
            serverStatus: Object.fromEntries(this.servers.map((u) => [u, 'UP'])),
            provider: 'file',
            ...(this.errors.length ? { error: this.errors } : {}),
          }),
        );
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

// A stand-in for Traefik's API on 127.0.0.1, for tests of what asks it (TraefikApi, the route reconciler).
// Its servers are set by the test, or followed from a dynamic config file the way Traefik's file
// provider does: on the directory's file events (inotify), re-reading the file; it can drop events.
import { type FSWatcher, readFileSync, statSync, watch } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname } from 'node:path';
import { parse } from 'yaml';

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
  private watcher: FSWatcher | null = null;
  /** File events to drop from now on (as a bind mount on Docker Desktop does): the file they announce is not read. */
  dropEvents = 0;
  /** Files (by inode and mtime) whose events were dropped, and the one last read: their later events are ignored too. */
  private ignored = new Set<string>();
  /** Events dropped, and times the file was read, so far. */
  dropped = 0;
  reads = 0;

  /**
   * Follows `path` (its directory must exist) like Traefik's file provider: on each event of its
   * directory, a file with a new inode or mtime is read and its `service`'s servers shown.
   */
  follow(path: string, service = 'lb-dev'): void {
    this.watcher?.close();
    this.watcher = watch(dirname(path), (_event, name) => {
      if (name !== null && name !== basename(path)) return;
      let id: string;
      try {
        const s = statSync(path);
        id = `${s.ino}:${s.mtimeMs}`;
      } catch {
        this.servers = null; // the file is gone: Traefik drops its routes
        return;
      }
      if (this.ignored.has(id)) return;
      this.ignored.add(id);
      if (this.dropEvents > 0) {
        this.dropEvents--;
        this.dropped++;
        return;
      }
      this.reads++;
      try {
        const doc = parse(readFileSync(path, 'utf8')) as { http?: { services?: Record<string, { loadBalancer?: { servers?: Array<{ url: string }> } }> } };
        const found = doc?.http?.services?.[service];
        this.servers = found ? (found.loadBalancer?.servers ?? []).map((s) => s.url) : null;
      } catch {
        // Traefik keeps its last good configuration when a file does not parse.
      }
    });
  }

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
    this.watcher?.close();
    this.watcher = null;
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

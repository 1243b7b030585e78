/**
 * The demo app's WebSocket echo on /websocket and /sockjs (and /sockjs/..., where Meteor's
 * DDP connects): says `{ hello: instance, pid, port }`, then answers each message with
 * `{ instance, echo }`, so a client sees which instance holds its socket.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';

export function isWebSocketPath(pathname: string): boolean {
  return pathname === '/websocket' || pathname === '/sockjs' || pathname.startsWith('/sockjs/');
}

export interface EchoServer {
  /** Open sockets. */
  readonly count: number;
  /** Asks every client to go (1001 going away). */
  closeAll(): void;
  /** Cuts every socket at once. */
  terminateAll(): void;
}

/** Who holds the socket: sent in the hello, so a page that reconnected elsewhere can say so. */
export interface EchoIdentity {
  instance: string;
  pid: number;
  port: number;
}

export function attachWebSocketEcho(server: Server, identity: EchoIdentity, log: (line: string) => void): EchoServer {
  const { instance } = identity;
  const wss = new WebSocketServer({ noServer: true });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!isWebSocketPath(pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      log(`WS ${pathname} 404`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      log(`WS ${pathname} open`);
      ws.send(JSON.stringify({ hello: instance, pid: identity.pid, port: identity.port }));
      ws.on('message', (data) => {
        const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        const text = bytes.toString('utf8');
        ws.send(JSON.stringify({ instance, echo: text }));
      });
      ws.on('close', (code) => log(`WS ${pathname} closed ${code}`));
      ws.on('error', (error) => log(`WS ${pathname} error: ${error.message}`));
    });
  });

  return {
    get count() {
      return wss.clients.size;
    },
    closeAll() {
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
    },
    terminateAll() {
      for (const ws of wss.clients) ws.terminate();
    },
  };
}

/**
 * Small HTTP helpers shared by tests: free and taken ports, backends that answer their own name,
 * and a GET that never hangs.
 */
import { createServer, type Server } from 'node:http';
import { createConnection, createServer as createNetServer, type AddressInfo } from 'node:net';
import getPort from 'get-port';
import { ephemeralStart, portCandidates } from '../../src/adapters/ports.js';

export const LOOPBACK = '127.0.0.1';

/**
 * A port free on 127.0.0.1 right now (get-port also avoids handing the same port out twice),
 * below the ephemeral range like lb-dev's own (src/adapters/ports.ts): a test binds it only
 * later, and meanwhile an outgoing connection could take it.
 */
export async function freePort(host = LOOPBACK, exclude: readonly number[] = []): Promise<number> {
  return getPort({ host, exclude, port: portCandidates(await ephemeralStart()) });
}

/** True when nothing listens on host:port (we could bind it). */
export function portFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createNetServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export interface NamedServer {
  name: string;
  port: number;
  url: string;
  /** Requests answered so far. */
  hits(): number;
  close(): Promise<void>;
}

/** An HTTP server on a free loopback port that answers every request with its name. */
export async function startNamedServer(name: string, host = LOOPBACK): Promise<NamedServer> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-server-name': name });
    res.end(name);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    port,
    url: `http://${host}:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TextResponse {
  status: number;
  text: string;
  headers: Headers;
}

/** GET with a timeout; resolves for any status, rejects only when no answer came. */
export async function getText(url: string, options: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<TextResponse> {
  const res = await fetch(url, { headers: options.headers, signal: AbortSignal.timeout(options.timeoutMs ?? 2000) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** `name=value` of the first Set-Cookie header called `name`, for sending back as a Cookie header. */
export function cookieFrom(headers: Headers, name: string): string | null {
  for (const cookie of headers.getSetCookie()) {
    const pair = cookie.split(';')[0] ?? '';
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return null;
}

/** Counts how often each answer came back. */
export function tally(answers: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) counts[a] = (counts[a] ?? 0) + 1;
  return counts;
}

export interface RawAnswer {
  /** The status code of the answer's first line; 0 when the server closed without one. */
  status: number;
  /** Everything the server sent. */
  text: string;
}

/**
 * Writes `head` (the request line and headers, CRLF-separated, without the blank line) as is
 * to 127.0.0.1:port, and reads until the server closes: a request with exactly the Host header a
 * test wants, or none at all, which fetch and node:http would not send.
 */
export function rawHttp(port: number, head: string, timeoutMs = 5_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: LOOPBACK, port });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of the answer to ${JSON.stringify(head.slice(0, 80))} within ${timeoutMs} ms; got ${JSON.stringify(text.slice(0, 200))}`));
    }, timeoutMs);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    socket.write(`${head}\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

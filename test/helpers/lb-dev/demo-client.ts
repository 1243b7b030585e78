/**
 * A client of the built-in demo app through the balancer: GET /api/info (which names the
 * instance that answered) and a WebSocket echo.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { LOOPBACK } from '../http.js';
import type { Workspace } from './workspace.js';

export interface InfoAnswer {
  status: number;
  /** `instance` from the demo's /api/info; null when the answer was not the demo's JSON. */
  instance: string | null;
  text: string;
  headers: Headers;
  ms: number;
}

/** GET /api/info through the balancer (never hangs: 5 s timeout). */
export async function info(ws: Workspace, headers: Record<string, string> = {}): Promise<InfoAnswer> {
  const started = performance.now();
  const res = await fetch(`${ws.balancerUrl}/api/info`, { headers, signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  let instance: string | null = null;
  try {
    const body = JSON.parse(text) as { instance?: unknown };
    if (typeof body.instance === 'string') instance = body.instance;
  } catch {
    // not JSON: a 502/503 from Traefik
  }
  return { status: res.status, instance, text, headers: res.headers, ms: Math.round(performance.now() - started) };
}

export interface WsEcho {
  hello: string;
  echo: { instance: string; echo: string };
}

/** Opens a WebSocket through the balancer, reads `{hello}`, sends `text`, reads `{instance, echo}`, closes. */
export function wsEcho(ws: Workspace, path: string, text: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<WsEcho> {
  return new Promise((resolve, reject) => {
    const url = `ws://${LOOPBACK}:${ws.port}${path}`;
    const socket = new WebSocket(url, { headers, handshakeTimeout: timeoutMs });
    const messages: unknown[] = [];
    const timer = setTimeout(() => fail(new Error(`no echo on ${url} within ${timeoutMs} ms; got ${JSON.stringify(messages)}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.terminate();
      reject(error);
    };
    socket.on('unexpected-response', (_req, res) => fail(new Error(`${url}: upgrade refused with HTTP ${res.statusCode}`)));
    socket.on('error', (error) => fail(error));
    socket.on('message', (data) => {
      messages.push(JSON.parse(String(data)));
      if (messages.length === 1) socket.send(text);
      if (messages.length === 2) {
        clearTimeout(timer);
        socket.close(1000);
        const [first, second] = messages as [{ hello?: unknown }, { instance?: unknown; echo?: unknown }];
        if (typeof first.hello !== 'string' || typeof second.instance !== 'string' || typeof second.echo !== 'string') {
          reject(new Error(`${url}: unexpected messages ${JSON.stringify(messages)}`));
          return;
        }
        resolve({ hello: first.hello, echo: { instance: second.instance, echo: second.echo } });
      }
    });
  });
}

// The dashboard's connection limits on real sockets: 128 SSE streams with the token and 140
// sockets trickling their headers (no token) used to fill the server's 128 connections and shut
// the token holder out. Now a token holds at most 16 streams (the oldest closes), at most 64
// connections without the token stay open (the oldest goes, never the new one), headers must
// come within 5 s, and an authenticated request is answered at once.
import assert from 'node:assert/strict';
import { type Socket, createConnection } from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { DashboardServer } from '../../../src/dashboard/server.js';
import { freePort, rawHttp } from '../../helpers/http.js';
import { waitUntil } from '../../helpers/wait.js';

const TOKEN = 'limits-token';
let port: number;
let server: DashboardServer;
const sockets = new Set<Socket>();
const timers = new Set<NodeJS.Timeout>();

before(async () => {
  port = await freePort();
  server = new DashboardServer({ port, token: TOKEN });
  server.route('/api/events', {
    method: 'GET',
    auth: 'token',
    handle: async ({ openStream }) => {
      const stream = openStream();
      stream.send({ type: 'hello' });
      await stream.closed;
    },
  });
  server.route('/api/state', { method: 'GET', auth: 'token', handle: async () => ({ state: 'fine' }) });
  await server.listen();
});
after(async () => {
  for (const t of timers) clearInterval(t);
  for (const s of sockets) s.destroy();
  await server.close();
});

interface Client {
  socket: Socket;
  /** What the server sent so far. */
  text(): string;
  closed(): boolean;
  closedAt(): number | null;
}

function open(write: string): Client {
  const socket = createConnection({ host: '127.0.0.1', port });
  sockets.add(socket);
  let text = '';
  let closedAt: number | null = null;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closedAt = performance.now();
  });
  socket.write(write);
  return { socket, text: () => text, closed: () => closedAt !== null, closedAt: () => closedAt };
}

/** A client sending its headers one byte every 500 ms, never finishing them. */
function trickle(): Client {
  const client = open(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
  const timer = setInterval(() => {
    if (!client.closed()) client.socket.write('a');
  }, 500);
  timers.add(timer);
  return client;
}

const sse = () => open(`GET /api/events?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);

test('128 SSE streams and 140 header-tricklers leave the token holder a way in: 16 streams, 64 tricklers, an answer at once', async () => {
  const streams: Client[] = [];
  for (let i = 0; i < 128; i++) {
    const stream = sse();
    streams.push(stream);
    // One at a time, so that "the oldest" is well defined.
    await waitUntil(() => stream.text().includes('"hello"') || stream.closed(), { what: () => `stream ${i} to start: ${stream.text()}` });
  }
  await waitUntil(() => streams.filter((s) => s.closed()).length === 112, {
    what: () => `112 of 128 streams closed, got ${streams.filter((s) => s.closed()).length}`,
  });
  assert.deepEqual(
    streams.map((s, i) => (s.closed() ? null : i)).filter((i) => i !== null),
    Array.from({ length: 16 }, (_, k) => 112 + k),
    'the newest 16 stay',
  );

  const tricklers: Client[] = [];
  for (let i = 0; i < 140; i++) tricklers.push(trickle());
  await waitUntil(() => server.connectionStats().unauthenticated === 64 && tricklers.filter((t) => t.closed()).length === 76, {
    what: () => `64 tricklers open, 76 dropped: ${JSON.stringify(server.connectionStats())}, closed ${tricklers.filter((t) => t.closed()).length}`,
  });
  assert.ok(
    tricklers.slice(76).every((t) => !t.closed()),
    'the oldest were dropped, not the newest',
  );

  const started = performance.now();
  const answer = await rawHttp(port, `GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Lb-Dev-Token: ${TOKEN}`, 2_000);
  const ms = performance.now() - started;
  assert.equal(answer.status, 200, answer.text);
  assert.match(answer.text, /"state":"fine"/);
  assert.ok(ms < 1_000, `answered in ${Math.round(ms)} ms`);
  // A new stream with the token still opens (and the oldest of the 16 makes room).
  const another = sse();
  await waitUntil(() => another.text().includes('"hello"'), { what: () => `a 129th stream: ${another.text()}` });
  await waitUntil(() => streams[112]!.closed(), { what: 'the oldest remaining stream closed for it' });
  assert.equal(server.connectionStats().streams, 16);
});

test('a client that trickles its headers is cut off after the 5 s header timeout', async () => {
  const client = trickle();
  const started = performance.now();
  await waitUntil(() => client.closed(), {
    timeoutMs: 9_000,
    intervalMs: 100,
    what: () => `the trickler closed by the server; it got ${JSON.stringify(client.text())}`,
  });
  const ms = client.closedAt()! - started;
  assert.ok(ms >= 4_500 && ms < 7_500, `closed after ${Math.round(ms)} ms, expected 5-6.5 s`);
  assert.match(client.text(), /^HTTP\/1\.1 408/);
});

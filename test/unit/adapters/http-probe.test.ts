// probeHttp against real HTTP servers: ok, wrong status, refused, timeout.
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import getPort from 'get-port';
import { probeHttp } from '../../../src/adapters/http-probe.js';
import { Condition } from '../../helpers/wait.js';

const ANY = { min: 200, max: 399 };
const closers: Array<() => Promise<void>> = [];
after(() => Promise.all(closers.map((c) => c())));

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    handler!(req, res);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

test('ok: a 200 within the range', async () => {
  const { url } = await serve((_req, res) => res.end('ok'));
  assert.deepEqual(await probeHttp(`${url}/`, 1_000, ANY), { ok: true, reason: 'status 200' });
});

test('the path is requested as given, with a fresh connection each time', async () => {
  const seen: string[] = [];
  const { url, requests } = await serve((req, res) => {
    seen.push(`${req.url} ${req.headers.connection}`);
    res.end();
  });
  await probeHttp(`${url}/api/info?x=1`, 1_000, ANY);
  await probeHttp(`${url}/api/info?x=1`, 1_000, ANY);
  assert.equal(requests(), 2);
  assert.deepEqual(seen, ['/api/info?x=1 close', '/api/info?x=1 close']);
});

test('wrong status: 503 fails; a redirect passes 200-399; an exact 200 rejects 204', async () => {
  const { url: unavailable } = await serve((_req, res) => {
    res.writeHead(503);
    res.end('starting');
  });
  const result = await probeHttp(unavailable, 1_000, ANY);
  assert.equal(result.ok, false);
  assert.match(result.reason, /status 503, expected 200-399/);

  const { url: redirect } = await serve((_req, res) => {
    res.writeHead(302, { location: '/elsewhere' });
    res.end();
  });
  assert.equal((await probeHttp(redirect, 1_000, ANY)).ok, true);

  const { url: noContent } = await serve((_req, res) => {
    res.writeHead(204);
    res.end();
  });
  const exact = await probeHttp(noContent, 1_000, { min: 200, max: 200 });
  assert.equal(exact.ok, false);
  assert.match(exact.reason, /status 204/);
});

test('refused: nobody listens', async () => {
  const port = await getPort({ host: '127.0.0.1' });
  const started = Date.now();
  const result = await probeHttp(`http://127.0.0.1:${port}/`, 2_000, ANY);
  assert.deepEqual(result, { ok: false, reason: 'ECONNREFUSED' });
  assert.ok(Date.now() - started < 1_000, 'refused is reported at once, not at the timeout');
});

test('timeout: a server that accepts and never answers', async () => {
  const { url } = await serve(() => {
    /* never answers */
  });
  const started = Date.now();
  const result = await probeHttp(url, 300, ANY);
  const took = Date.now() - started;
  assert.equal(result.ok, false);
  assert.match(result.reason, /no answer within 300ms/);
  assert.ok(took >= 290 && took < 2_000, `took ${took}ms`);
});

test('timeout: headers sent, body never finishes, still counts by status', async () => {
  const { url } = await serve((_req, res) => {
    res.writeHead(200);
    res.write('partial');
  });
  const result = await probeHttp(url, 1_000, ANY);
  assert.equal(result.ok, true, 'the status decides; the body is not awaited');
});

test('a TCP server that is not HTTP fails the probe without hanging', async () => {
  const server: TcpServer = createTcpServer((socket) => socket.end('garbage\r\n\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(() => new Promise((r) => server.close(() => r())));
  const result = await probeHttp(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, 1_000, ANY);
  assert.equal(result.ok, false);
  assert.ok(result.reason.length > 0);
});

test('many probes in a row leave no sockets behind (no agent, no keep-alive)', async () => {
  let open = 0;
  const server = createServer((_req, res) => res.end('ok'));
  const closed = new Condition();
  server.on('connection', (s) => {
    open++;
    s.on('close', () => {
      open--;
      closed.notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(() => new Promise((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  for (let i = 0; i < 30; i++) assert.equal((await probeHttp(url, 1_000, ANY)).ok, true);
  await closed.until(
    () => open === 0,
    () => `every probe's connection closed (${open} still open)`,
    2_000,
  );
});

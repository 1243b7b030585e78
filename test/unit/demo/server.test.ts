// The running demo app (src/demo/server.ts) as lb-dev runs it: its pages, API and WebSockets.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { openSocket, startDemo, stop, type Demo } from './demo-process.js';

describe('a running demo app', () => {
  let demo: Demo;
  before(async () => {
    demo = await startDemo({ LB_DEV_INSTANCE: 'app-7' });
  });
  after(async () => {
    await stop(demo);
  });

  test('GET /api/info names the instance, its pid and port, and counts requests', async () => {
    const first = (await (await fetch(`${demo.base}/api/info`)).json()) as Record<string, unknown>;
    assert.equal(first.success, true);
    assert.equal(first.instance, 'app-7');
    assert.equal(first.pid, demo.child.pid);
    assert.equal(first.port, demo.port);
    assert.equal(typeof first.uptimeMs, 'number');
    assert.ok((first.uptimeMs as number) >= 0);
    const second = (await (await fetch(`${demo.base}/api/info`)).json()) as Record<string, unknown>;
    assert.equal(second.requests, (first.requests as number) + 1);
  });

  test('GET / is an HTML page naming the instance that opens /websocket', async () => {
    const response = await fetch(`${demo.base}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    const html = await response.text();
    assert.match(html, /app-7/);
    assert.match(html, new RegExp(`pid <code id="pid">${demo.child.pid}</code>`));
    assert.match(html, /new WebSocket\(/);
    assert.match(html, /\/websocket/);
  });

  test('GET /healthz answers ok; unknown paths 404; wrong methods 405', async () => {
    const health = await fetch(`${demo.base}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'ok');
    assert.equal((await fetch(`${demo.base}/nope`)).status, 404);
    assert.equal((await fetch(`${demo.base}/crash`)).status, 405);
    assert.equal((await fetch(`${demo.base}/api/info`, { method: 'POST' })).status, 405);
  });

  test("neither logs nor counts Traefik's health check (X-LB-Dev-Health) or lb-dev's probe", async () => {
    const count = async () => ((await (await fetch(`${demo.base}/api/info?quiet`)).json()) as { requests: number }).requests;
    const before = await count();
    await fetch(`${demo.base}/health-marker`, { headers: { 'X-LB-Dev-Health': '1', 'user-agent': 'Go-http-client/1.1' } });
    await fetch(`${demo.base}/probe-marker`, { headers: { 'user-agent': 'lb-dev-probe' } });
    assert.equal(await count(), before + 1, 'only the ?quiet request of the user counted');
    // A user request after them: once its line is out, theirs would have been too.
    await fetch(`${demo.base}/user-marker`);
    await demo.waitForLine(/GET \/user-marker 404/, 5000);
    assert.doesNotMatch(demo.stdout(), /health-marker|probe-marker/);
  });

  test('logs one line per request, but not probes, /healthz or ?quiet', async () => {
    const infoLines = (): string[] =>
      demo
        .stdout()
        .split('\n')
        .filter((l) => /^GET \/api\/info 200 \d+ms$/.test(l));
    const before = infoLines().length;
    await fetch(`${demo.base}/healthz`);
    await fetch(`${demo.base}/api/info`, { headers: { 'user-agent': 'lb-dev-probe/0.1' } });
    await fetch(`${demo.base}/api/info?quiet`);
    await fetch(`${demo.base}/api/info`);
    // Lines come out in request order: once the marker's is out, any wrong extra line would have been too.
    await fetch(`${demo.base}/after-info-marker`);
    await demo.waitForLine(/GET \/after-info-marker 404/, 5000);
    assert.equal(infoLines().length, before + 1, demo.stdout());
    assert.doesNotMatch(demo.stdout(), /GET \/healthz/);
  });

  for (const path of ['/websocket', '/sockjs', '/sockjs/123/abcdef/websocket']) {
    test(`WebSocket on ${path}: hello, then an echo of each message`, async () => {
      const { ws, next } = await openSocket(`ws://127.0.0.1:${demo.port}${path}`);
      assert.deepEqual(await next(), { hello: 'app-7', pid: demo.child.pid, port: demo.port });
      ws.send('ping');
      assert.deepEqual(await next(), { instance: 'app-7', echo: 'ping' });
      ws.send('ünïcode ✓');
      assert.deepEqual(await next(), { instance: 'app-7', echo: 'ünïcode ✓' });
      ws.close();
      await once(ws, 'close');
    });
  }

  test('a WebSocket on another path is refused', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${demo.port}/elsewhere`);
    ws.on('error', () => undefined); // terminate() below reports "closed before established"
    const [, response] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number }];
    assert.equal(response.statusCode, 404);
    ws.terminate();
  });

  test('GET /status/N answers with status N naming the instance; N outside 200-599 is a 400', async () => {
    const failing = await fetch(`${demo.base}/status/500`);
    assert.equal(failing.status, 500);
    assert.deepEqual(await failing.json(), { instance: 'app-7', status: 500 });
    assert.equal((await fetch(`${demo.base}/status/503`)).status, 503);
    const empty = await fetch(`${demo.base}/status/204`);
    assert.equal(empty.status, 204);
    assert.equal(await empty.text(), '');
    assert.equal((await fetch(`${demo.base}/status/199`)).status, 400);
    assert.equal((await fetch(`${demo.base}/status/600`)).status, 400);
    assert.equal((await fetch(`${demo.base}/status/5000`)).status, 404);
  });

  test('GET /slow?ms=N answers after N ms; a bad N is a 400', async () => {
    const startedAt = Date.now();
    const response = await fetch(`${demo.base}/slow?ms=300`);
    assert.equal(response.status, 200);
    assert.ok(Date.now() - startedAt >= 290);
    assert.deepEqual(await response.json(), { instance: 'app-7', sleptMs: 300 });
    assert.equal((await fetch(`${demo.base}/slow?ms=abc`)).status, 400);
  });
});

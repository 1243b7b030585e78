// ReadinessWatch and PortConflictRetries (src/app/readiness.ts) against a real HTTP server.
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { ReadinessConfig } from '../../../src/core/config/types.js';
import { PortConflictRetries, ReadinessWatch } from '../../../src/app/readiness.js';

let server: Server;
let port = 0;
let status = 503;
/** When each probe reached the server. */
let probedAt: number[] = [];
before(async () => {
  server = createServer((_req, res) => {
    probedAt.push(Date.now());
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const http = { path: '/', intervalMs: 20, healthIntervalMs: 20, timeoutMs: 500, expectStatus: { min: 200, max: 399 } };
const config = (over: Partial<ReadinessConfig>): ReadinessConfig => ({
  http: null,
  logPattern: null,
  startTimeoutMs: 10_000,
  failureThreshold: 3,
  successThreshold: 1,
  ...over,
});

function watch(over: Partial<ReadinessConfig>) {
  const seen: string[] = [];
  let wake = () => {};
  const next = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const w = new ReadinessWatch(config(over), port, {
    ready: () => {
      seen.push('ready');
      wake();
    },
    startTimedOut: () => {
      seen.push('timedOut');
      wake();
    },
    probed: (r) => {
      seen.push(r.ok ? 'probeOk' : 'probeFailed');
      wake();
    },
  });
  return { w, seen, next };
}

test('log pattern and HTTP: ready only when both passed (ANSI stripped); then health probes', async () => {
  status = 200;
  const { w, seen, next } = watch({ http, logPattern: 'SERVER RUNNING' });
  w.start();
  w.line('\u001b[32mcompiling\u001b[0m');
  assert.deepEqual(seen, []);
  const ready = next();
  w.line('\u001b[1mSERVER RUNNING\u001b[0m');
  await ready;
  assert.deepEqual(seen, ['ready']);
  status = 503;
  await next();
  assert.equal(seen.at(-1), 'probeFailed');
  w.stop();
});

test('once ready, a healthy instance is probed at healthInterval; a failed probe brings back the fast interval', async () => {
  status = 200;
  probedAt = [];
  const { w, seen, next } = watch({ http: { ...http, intervalMs: 20, healthIntervalMs: 400 } });
  let probe = next();
  w.start();
  await probe; // ready
  probe = next();
  await probe; // the first health probe: ok
  const readyProbe = probedAt[0]!;
  const firstHealth = probedAt[1]!;
  assert.ok(firstHealth - readyProbe >= 395, `a healthy instance waits healthInterval between probes (${firstHealth - readyProbe}ms)`);
  status = 503;
  probe = next();
  await probe; // the second health probe fails
  for (let i = 0; i < 2; i++) {
    probe = next();
    await probe;
  }
  w.stop();
  assert.deepEqual(seen, ['ready', 'probeOk', 'probeFailed', 'probeFailed', 'probeFailed']);
  // After a failure the next probes come at the fast interval: two of them took less than one healthInterval.
  assert.ok(probedAt[4]! - probedAt[2]! < 800, `fast probes after a failure (${probedAt[4]! - probedAt[2]!}ms for two)`);
});

test('no checks configured: ready at start; start timeout when never ready; nothing after stop()', async () => {
  const none = watch({});
  none.w.start();
  assert.deepEqual(none.seen, ['ready']);
  none.w.stop();
  const slow = watch({ logPattern: 'never', startTimeoutMs: 30 });
  const timedOut = slow.next();
  slow.w.start();
  await timedOut;
  assert.deepEqual(slow.seen, ['timedOut']);
  slow.w.line('never'); // too late: a run that timed out is being killed
  slow.w.stop();
  assert.deepEqual(slow.seen, ['timedOut']);
});

test('EADDRINUSE before ready is a port conflict; retried on a new port only when the port is really taken, 3 times in a row', async () => {
  const { w } = watch({ logPattern: 'ready' });
  w.start();
  w.line('Error: listen EADDRINUSE: address already in use 127.0.0.1:3000');
  assert.equal(w.sawPortConflict, true);
  w.stop();
  const retries = new PortConflictRetries();
  assert.deepEqual(
    [await retries.retryOnNewPort(port), await retries.retryOnNewPort(port), await retries.retryOnNewPort(port), await retries.retryOnNewPort(port)],
    [true, true, true, false],
  );
  retries.reset();
  assert.equal(await retries.retryOnNewPort(port), true);
  const free = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  assert.equal(await retries.retryOnNewPort(free), false, 'a free port: the app binds a port of its own, a crash like any other');
});

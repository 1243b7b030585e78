// The demo app's (src/demo/server.ts) start and end: start delay, crash, ready line, SIGTERM, bad or taken ports.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import getPort from 'get-port';
import { waitUntil } from '../../helpers/wait.js';
import { openSocket, spawnDemo, startDemo, stop } from './demo-process.js';

test('POST /crash answers, then exits 1', async () => {
  const demo = await startDemo();
  try {
    const response = await fetch(`${demo.base}/crash`, { method: 'POST' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { instance: 'demo', crashing: true });
    const { code } = await demo.exited;
    assert.equal(code, 1);
    assert.match(demo.stderr(), /exits with code 1 on purpose/);
  } finally {
    await stop(demo);
  }
});

test('DEMO_START_DELAY: progress lines, and no listening until the delay is over', async () => {
  const demo = spawnDemo({ PORT: String(await getPort()), DEMO_START_DELAY: '1500' });
  try {
    await demo.waitForLine(/^building\.\.\./);
    const firstProgressAt = Date.now();
    await assert.rejects(fetch(`http://127.0.0.1:${demo.port}/healthz`));
    await demo.waitForLine(/SERVER RUNNING on port/);
    assert.ok(Date.now() - firstProgressAt >= 1300, 'ready before the delay was over');
    const progress = demo
      .stdout()
      .split('\n')
      .filter((l) => /^building\.\.\. \d+%/.test(l));
    assert.ok(progress.length >= 2, demo.stdout());
    assert.equal((await fetch(`http://127.0.0.1:${demo.port}/healthz`)).status, 200);
  } finally {
    await stop(demo);
  }
});

test('DEMO_CRASH_AFTER: exits 1 that long after becoming ready, saying why', async () => {
  const demo = await startDemo({ DEMO_CRASH_AFTER: '300' });
  const { code } = await demo.exited;
  assert.equal(code, 1);
  assert.match(demo.stderr(), /DEMO_CRASH_AFTER=300/);
});

test('DEMO_READY_LINE replaces the ready line ({port} and {instance} filled in)', async () => {
  const port = await getPort();
  const demo = spawnDemo({ PORT: String(port), LB_DEV_INSTANCE: 'app-3', DEMO_READY_LINE: 'up: {instance} on {port}' });
  try {
    assert.equal(await demo.waitForLine(/^up:/), `up: app-3 on ${port}`);
    assert.doesNotMatch(demo.stdout(), /SERVER RUNNING/);
  } finally {
    await stop(demo);
  }
});

test('SIGTERM: closes the server and WebSockets, lets an in-flight request finish, exits 0', async () => {
  const demo = await startDemo();
  const { ws, next } = await openSocket(`ws://127.0.0.1:${demo.port}/websocket`);
  await next();
  const wsClosed = once(ws, 'close');
  // The demo counts a request when it arrives (and each ?quiet count too): poll k answers first + k, plus 1 once /slow is in.
  const count = async () => ((await (await fetch(`${demo.base}/api/info?quiet`)).json()) as { requests: number }).requests;
  const first = await count();
  const slow = fetch(`${demo.base}/slow?ms=500`);
  await demo.waitForLine(/WS \/websocket open/);
  let polls = 0;
  await waitUntil(async () => (await count()) - first - ++polls >= 1, { timeoutMs: 5_000, intervalMs: 10, what: 'the /slow request to arrive' });
  demo.child.kill('SIGTERM');
  const [code] = (await wsClosed) as [number];
  assert.equal(code, 1001);
  const response = await slow;
  assert.equal(response.status, 200);
  assert.equal((await demo.exited).code, 0);
});

test('SIGTERM during the start delay exits 0 at once', async () => {
  const demo = spawnDemo({ PORT: String(await getPort()), DEMO_START_DELAY: '60000' });
  await demo.waitForLine(/^building/);
  demo.child.kill('SIGTERM');
  assert.equal((await demo.exited).code, 0);
});

test('a missing or invalid PORT exits 2 with a clear message', async () => {
  for (const [port, message] of [
    [undefined, /PORT is not set/],
    ['abc', /PORT must be a whole number/],
    ['70000', /PORT must be/],
  ] as const) {
    const demo = spawnDemo({ PORT: port });
    assert.equal((await demo.exited).code, 2);
    assert.match(demo.stderr(), message);
  }
  const demo = spawnDemo({ PORT: '3000', DEMO_START_DELAY: 'soon' });
  assert.equal((await demo.exited).code, 2);
  assert.match(demo.stderr(), /DEMO_START_DELAY must be a whole number of milliseconds/);
});

test('a taken port exits 1 saying so', async () => {
  const first = await startDemo();
  try {
    const second = spawnDemo({ PORT: String(first.port) });
    assert.equal((await second.exited).code, 1);
    assert.match(second.stderr(), /cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
  } finally {
    await stop(first);
  }
});

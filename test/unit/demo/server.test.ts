// The real demo app as a child process (through tsx), the way lb-dev runs it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import getPort from 'get-port';
import WebSocket from 'ws';

const serverPath = fileURLToPath(new URL('../../../src/demo/server.ts', import.meta.url));
/** tsx start-up on a busy machine takes seconds. */
const START_TIMEOUT_MS = 20_000;

interface Demo {
  child: ChildProcess;
  port: number;
  base: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnDemo(env: Record<string, string | undefined>): Demo {
  const child = spawn(process.execPath, ['--import', 'tsx', serverPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const check of waiters) check();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const port = Number(env.PORT);
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine: (pattern, timeoutMs = START_TIMEOUT_MS) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const line = out.split('\n').find((l) => pattern.test(l));
          if (line !== undefined) {
            cleanup();
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no line matching ${pattern} within ${timeoutMs}ms; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void exited.then(() => {
          check();
          if (waiters.has(check)) {
            cleanup();
            reject(new Error(`exited before a line matching ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
          }
        });
        check();
      }),
  };
}

async function startDemo(env: Record<string, string> = {}): Promise<Demo> {
  const demo = spawnDemo({ PORT: String(await getPort()), ...env });
  await demo.waitForLine(/SERVER RUNNING on port/);
  return demo;
}

async function stop(demo: Demo): Promise<void> {
  if (demo.child.exitCode === null && demo.child.signalCode === null) demo.child.kill('SIGKILL');
  await demo.exited;
}

/** Opens a WebSocket and collects its messages as parsed JSON. */
async function openSocket(url: string): Promise<{ ws: WebSocket; next: () => Promise<unknown> }> {
  const ws = new WebSocket(url);
  const messages: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  ws.on('message', (data) => {
    const message: unknown = JSON.parse(data.toString());
    const resolve = waiting.shift();
    if (resolve) resolve(message);
    else messages.push(message);
  });
  await once(ws, 'open');
  return {
    ws,
    next: () => (messages.length > 0 ? Promise.resolve(messages.shift()) : new Promise((resolve) => waiting.push(resolve))),
  };
}

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
    for (let waited = 0; !demo.stdout().includes('GET /user-marker 404') && waited < 5000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.match(demo.stdout(), /GET \/user-marker 404/);
    assert.doesNotMatch(demo.stdout(), /health-marker|probe-marker/);
  });

  test('logs one line per request, but not probes, /healthz or ?quiet', async () => {
    const infoLines = (): string[] => demo.stdout().split('\n').filter((l) => /^GET \/api\/info 200 \d+ms$/.test(l));
    const before = infoLines().length;
    await fetch(`${demo.base}/healthz`);
    await fetch(`${demo.base}/api/info`, { headers: { 'user-agent': 'lb-dev-probe/0.1' } });
    await fetch(`${demo.base}/api/info?quiet`);
    await fetch(`${demo.base}/api/info`);
    for (let waited = 0; infoLines().length === before && waited < 5000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // room for any wrong extra line
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
    const progress = demo.stdout().split('\n').filter((l) => /^building\.\.\. \d+%/.test(l));
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
  const slow = fetch(`${demo.base}/slow?ms=500`);
  await demo.waitForLine(/WS \/websocket open/);
  await new Promise((resolve) => setTimeout(resolve, 100)); // the /slow request is in flight
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
  for (const [port, message] of [[undefined, /PORT is not set/], ['abc', /PORT must be a whole number/], ['70000', /PORT must be/]] as const) {
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

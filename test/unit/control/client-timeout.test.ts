// A control call never waits forever: against a server that accepts and never answers (what a
// SIGSTOPped `up` is to its clients: the kernel accepts, nothing reads), every call fails with
// CONTROL_TIMEOUT after the timeout, naming the method and the pid; a call that takes far longer
// than the timeout succeeds while the server's heartbeats come, a stream too.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, test } from 'node:test';
import { ControlClient } from '../../../src/control/client.js';
import { ControlServer } from '../../../src/control/server.js';
import { ERROR_CODES, isLbDevError } from '../../../src/core/errors.js';

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function socketPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'lb-dev.sock');
}

/** `promise`, or a failure once `ms` pass: the old client waited forever, and the test must fail instead of hanging. */
function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** What `promise` rejected with, or null when it resolved. */
const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

/** Accepts connections, reads what they send, never writes a byte. */
async function silentServer(path: string): Promise<{ requests: () => string }> {
  let received = '';
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { requests: () => received };
}

test('a server that never answers: the call fails with CONTROL_TIMEOUT after the timeout, naming the method and the pid', async () => {
  const path = await socketPath();
  const server = await silentServer(path);
  const client = await ControlClient.connect(path, '/state', { timeoutMs: 400, upPid: () => 4242 });
  cleanups.push(() => client.close());
  const started = performance.now();
  const error = await settlesWithin(failureOf(client.call('status')), 5_000, 'the call to a silent server');
  const ms = performance.now() - started;
  assert.ok(isLbDevError(error), String(error));
  assert.equal(error.code, 'CONTROL_TIMEOUT');
  assert.equal(error.exitCode, 3);
  assert.equal(error.message, 'lb-dev up (pid 4242) did not answer `status` within 400ms');
  assert.match(error.fix, /kill -CONT 4242/);
  assert.match(error.fix, /lb-dev down/);
  assert.ok(ms >= 390 && ms < 2_400, `timed out after ${Math.round(ms)} ms, expected about 400`);
  assert.match(server.requests(), /"heartbeatMs":100/, 'the request asked for heartbeats every quarter of the timeout');
  // The connection is given up: a later call says the same at once.
  await assert.rejects(client.call('status'), (e: unknown) => isLbDevError(e) && e.code === 'CONTROL_TIMEOUT');
});

test('without a pid to name (no run.json), the message says `lb-dev up` and the fix keeps its placeholder', async () => {
  const path = await socketPath();
  await silentServer(path);
  const client = await ControlClient.connect(path, '/state', { timeoutMs: 200, upPid: () => null });
  cleanups.push(() => client.close());
  const error = await settlesWithin(failureOf(client.call('restart')), 5_000, 'the call to a silent server');
  assert.ok(isLbDevError(error), String(error));
  assert.equal(error.message, 'lb-dev up did not answer `restart` within 200ms');
  assert.equal(error.fix, ERROR_CODES.CONTROL_TIMEOUT.fix);
});

test('a call that takes 5x the timeout succeeds while heartbeats come; a stream silent for 5x the timeout too', async () => {
  const path = await socketPath();
  const server = new ControlServer(path, {
    // Work that takes 1.5 s; the client gives up after 300 ms of silence.
    slow: async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return 'done';
    },
    quiet: async ({ send }) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      send('late line');
      return 'ended';
    },
  });
  await server.listen();
  cleanups.push(() => server.close());
  const client = await ControlClient.connect(path, '/state', { timeoutMs: 300 });
  cleanups.push(() => client.close());
  const started = performance.now();
  assert.equal(await settlesWithin(client.call<string>('slow'), 5_000, 'the slow call'), 'done');
  assert.ok(performance.now() - started >= 1_400, 'the call took its time');
  const data: unknown[] = [];
  let result: unknown = null;
  await settlesWithin(
    client.stream(
      'quiet',
      {},
      (d) => data.push(d),
      (r) => {
        result = r;
      },
    ),
    5_000,
    'the quiet stream',
  );
  assert.deepEqual(data, ['late line']);
  assert.equal(result, 'ended');
});

// The control socket against clients that send garbage, flood it, or never read: `up` must
// answer each with a coded error, hold bounded memory, and keep serving normal clients.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Socket, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ControlClient } from '../../../src/control/client.js';
import { type ControlServerLimits, type Handler, ControlServer } from '../../../src/control/server.js';
import { isLbDevError } from '../../../src/core/errors.js';
import { waitUntil } from '../../helpers/lb-dev/index.js';
import { rawClient } from './raw-client.js';

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function startServer(handlers: Record<string, Handler>, limits: Partial<ControlServerLimits> = {}): Promise<{ path: string; server: ControlServer }> {
  const dir = await mkdtemp(join(tmpdir(), 'lbdh-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'lb-dev.sock');
  const server = new ControlServer(path, handlers, limits);
  await server.listen();
  cleanups.push(() => server.close());
  return { path, server };
}

async function hello(path: string): Promise<unknown> {
  const client = await ControlClient.connect(path, '/state');
  try {
    return await client.call('hello');
  } finally {
    client.close();
  }
}

const errorCode = (reply: unknown): string => (reply as { error?: { code?: string } }).error?.code ?? `no error in ${JSON.stringify(reply)}`;

test('malformed requests get BAD_REQUEST (or CONTROL_PROTOCOL for unknown methods), and the connection keeps working', async () => {
  const { path } = await startServer({ hello: async () => 'hi' });
  const client = await rawClient(path);
  cleanups.push(() => {
    client.socket.destroy();
  });
  const cases: Array<[string, string, RegExp]> = [
    ['null', 'BAD_REQUEST', /expected a request object .* got null/],
    ['[1,2]', 'BAD_REQUEST', /got an array of 2/],
    ['42', 'BAD_REQUEST', /got number 42/],
    ['"hello"', 'BAD_REQUEST', /got the string "hello"/],
    ['true', 'BAD_REQUEST', /got boolean true/],
    ['{}', 'BAD_REQUEST', /"id" to be a whole number/],
    ['{"id":"1","method":"hello"}', 'BAD_REQUEST', /"id" .* got the string "1"/],
    ['{"id":1.5,"method":"hello"}', 'BAD_REQUEST', /"id"/],
    ['{"id":1,"method":7}', 'BAD_REQUEST', /"method" to be a string, got number 7/],
    ['{"id":1,"method":"hello","params":[1,2]}', 'BAD_REQUEST', /"params" to be an object, got an array/],
    ['{"id":1,"method":"hello","params":null}', 'BAD_REQUEST', /"params" to be an object, got null/],
    ['{"id":1,"method":"__proto__"}', 'CONTROL_PROTOCOL', /unknown method "__proto__"/],
    ['{"id":1,"method":"constructor"}', 'CONTROL_PROTOCOL', /unknown method "constructor"/],
    ['{"id":1,"method":"toString"}', 'CONTROL_PROTOCOL', /unknown method/],
    ['{"id":1,"method":"hasOwnProperty"}', 'CONTROL_PROTOCOL', /unknown method/],
    ['{"__proto__":{"method":"hello"},"id":1}', 'BAD_REQUEST', /"method" to be a string/],
    ['not json', 'BAD_REQUEST', /not JSON/],
  ];
  for (const [line, code, message] of cases) {
    const reply = await client.ask(line);
    assert.equal(errorCode(reply), code, `${line} -> ${JSON.stringify(reply)}`);
    assert.match((reply as { error: { message: string } }).error.message, message, line);
  }
  assert.deepEqual(await client.ask('{"id":9,"method":"hello"}'), { id: 9, result: 'hi' });
});

test("a handler's failure of any kind is answered INTERNAL and never reaches the process", async () => {
  const circular: Record<string, unknown> = {};
  circular['self'] = circular;
  const { path } = await startServer({
    hello: async () => 'hi',
    syncThrow: (() => {
      throw new Error('sync boom');
    }) as unknown as Handler,
    throwNull: async () => {
      throw null;
    },
    throwUndefined: async () => {
      throw undefined;
    },
    throwString: async () => {
      throw 'just a string';
    },
    rejectNumber: () => Promise.reject(42),
    throwCircular: async () => {
      throw circular;
    },
    bigint: async () => 10n,
    cycle: async () => circular,
  });
  const client = await ControlClient.connect(path, '/state');
  cleanups.push(() => client.close());
  const expected: Array<[string, RegExp]> = [
    ['syncThrow', /sync boom/],
    ['throwNull', /non-Error value: null/],
    ['throwUndefined', /non-Error value/],
    ['throwString', /just a string/],
    ['rejectNumber', /42/],
    ['throwCircular', /non-Error value/],
    ['bigint', /could not be encoded/],
    ['cycle', /could not be encoded/],
  ];
  for (const [method, message] of expected) {
    await assert.rejects(client.call(method), (error: unknown) => {
      assert.ok(isLbDevError(error), String(error));
      assert.equal(error.code, 'INTERNAL', method);
      assert.match(error.message, message, method);
      return true;
    });
  }
  assert.equal(await client.call('hello'), 'hi');
});

test('100 connections each sending 1 MiB without a newline are answered BAD_REQUEST and closed', async () => {
  const { path, server } = await startServer({ hello: async () => 'hi' }, { maxConnections: 128 });
  const chunk = Buffer.alloc(1 << 20, 'x');
  const clients = await Promise.all(Array.from({ length: 100 }, () => rawClient(path)));
  cleanups.push(() => {
    for (const c of clients) c.socket.destroy();
  });
  const replies = clients.map((c) => c.next());
  for (const c of clients) c.socket.write(chunk);
  for (const reply of await Promise.all(replies)) {
    assert.equal(errorCode(reply), 'BAD_REQUEST');
    assert.match((reply as { error: { message: string } }).error.message, /at most 65536 bytes/);
  }
  await Promise.all(clients.map((c) => c.closed));
  await waitUntil(() => server.stats().connections === 0, { what: () => `connections closed, stats ${JSON.stringify(server.stats())}` });
  assert.equal(await hello(path), 'hi');
});

test('200 connections: 64 are served, the rest get CONTROL_BUSY and are closed; after they go, clients work again', async () => {
  const { path, server } = await startServer({ hello: async () => 'hi' });
  const sockets: Socket[] = [];
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
  });
  const busyLines: string[] = [];
  let closedByServer = 0;
  await Promise.all(
    Array.from(
      { length: 200 },
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = createConnection(path);
          sockets.push(socket);
          socket.setEncoding('utf8');
          socket.on('data', (text: string) => busyLines.push(text));
          socket.on('end', () => {
            closedByServer++;
          });
          socket.once('connect', () => resolve());
          socket.once('error', reject);
        }),
    ),
  );
  await waitUntil(() => closedByServer === 136, { what: () => `136 refused connections closed, got ${closedByServer}` });
  assert.equal(busyLines.length, 136);
  for (const line of busyLines) assert.equal(errorCode(JSON.parse(line)), 'CONTROL_BUSY');
  assert.deepEqual({ connections: server.stats().connections, refused: server.stats().refused }, { connections: 64, refused: 136 });
  // While full, a real client is told so with the code, not left hanging.
  await assert.rejects(hello(path), (error: unknown) => isLbDevError(error) && error.code === 'CONTROL_BUSY');
  for (const s of sockets) s.destroy();
  await waitUntil(() => server.stats().connections === 0, { what: 'the held connections to close' });
  assert.equal(await hello(path), 'hi');
});

test('a client that pipelines 50,000 requests and never reads is paused, holds bounded memory, then is dropped', async () => {
  let handled = 0;
  const answer = 'y'.repeat(1000);
  const { path, server } = await startServer(
    {
      hello: async () => 'hi',
      fat: async () => {
        handled++;
        return answer;
      },
    },
    { pauseAboveBytes: 1 << 20, stallMs: 1_500 },
  );
  // A raw socket with no 'data' listener never reads: the kernel buffers fill, then the server's.
  const hog = createConnection(path);
  cleanups.push(() => {
    hog.destroy();
  });
  hog.on('error', () => undefined);
  await new Promise((resolve) => hog.once('connect', resolve));
  const request = Buffer.from(`${JSON.stringify({ id: 1, method: 'fat' })}\n`);
  hog.write(Buffer.concat(Array.from({ length: 50_000 }, () => request)));

  await waitUntil(() => server.stats().paused === 1, { what: () => `the hog to be paused, stats ${JSON.stringify(server.stats())}` });
  const whilePaused = server.stats();
  // Bounded: the pause bound plus the answers to one read's worth of requests (64 KiB / 26 bytes * 1 KB).
  assert.ok(whilePaused.buffered < 5 << 20, `unread answers held: ${whilePaused.buffered}`);
  assert.ok(handled < 10_000, `the server stopped reading the hog's requests: handled ${handled} of 50000`);
  // Others are served while the hog is paused.
  assert.equal(await hello(path), 'hi');
  const handledWhilePaused = handled;

  await waitUntil(() => server.stats().droppedSlow === 1, { timeoutMs: 10_000, what: () => `the hog to be dropped, stats ${JSON.stringify(server.stats())}` });
  assert.equal(handled, handledWhilePaused, 'no request of the hog was read after the pause');
  assert.deepEqual({ connections: server.stats().connections, buffered: server.stats().buffered }, { connections: 0, buffered: 0 });
  assert.equal(await hello(path), 'hi');
});

test('a client that keeps reading, however slowly, is resumed and gets every answer', async () => {
  const answer = 'z'.repeat(1000);
  const { path, server } = await startServer({ fat: async () => answer }, { pauseAboveBytes: 64 << 10 });
  const client = await rawClient(path);
  cleanups.push(() => {
    client.socket.destroy();
  });
  const n = 2_000;
  const lines = Array.from({ length: n }, (_, i) => `${JSON.stringify({ id: i, method: 'fat' })}\n`).join('');
  client.socket.write(lines);
  const ids = new Set<number>();
  for (let i = 0; i < n; i++) ids.add(((await client.next()) as { id: number }).id);
  assert.equal(ids.size, n);
  assert.equal(server.stats().droppedSlow, 0);
});

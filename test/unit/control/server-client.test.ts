// The control socket: ControlServer + ControlClient over a real unix socket.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type Server, createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ControlClient } from '../../../src/control/client.js';
import { type Handler, ControlServer } from '../../../src/control/server.js';
import { LbDevError, isLbDevError } from '../../../src/core/errors.js';
import { waitUntil } from '../../helpers/wait.js';

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function socketPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lbdc-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'lb-dev.sock');
}

async function startServer(path: string, handlers: Record<string, Handler>): Promise<ControlServer> {
  const server = new ControlServer(path, handlers);
  await server.listen();
  cleanups.push(() => server.close());
  return server;
}

async function connect(path: string): Promise<ControlClient> {
  const client = await ControlClient.connect(path, '/state');
  cleanups.push(() => client.close());
  return client;
}

const expectCode = (code: string) => (error: unknown) => {
  assert.ok(isLbDevError(error), String(error));
  assert.equal(error.code, code, error.message);
  return true;
};

test('round trip: results, LbDevErrors with details, unknown methods, concurrent calls on one connection', async () => {
  const path = await socketPath();
  await startServer(path, {
    echo: async ({ params }) => ({ got: params }),
    slow: async ({ params }) => {
      await new Promise((r) => setTimeout(r, Number(params.ms)));
      return params.ms;
    },
    fail: async () => {
      throw new LbDevError('INSTANCE_NOT_FOUND', 'no instance named "9"', { details: ['expected one of app-1'] });
    },
    crash: async () => {
      throw new Error('boom');
    },
    nothing: async () => undefined,
    big: async ({ params }) => 'x'.repeat(Number(params.bytes)),
  });
  const client = await connect(path);
  assert.deepEqual(await client.call('echo', { a: 1, s: 'ü\nx' }), { got: { a: 1, s: 'ü\nx' } });
  assert.equal(await client.call('nothing'), null);
  await assert.rejects(client.call('fail'), (error: unknown) => {
    expectCode('INSTANCE_NOT_FOUND')(error);
    assert.deepEqual((error as LbDevError).details, ['expected one of app-1']);
    return true;
  });
  await assert.rejects(client.call('crash'), expectCode('INTERNAL'));
  await assert.rejects(client.call('nope'), (error: unknown) => {
    expectCode('CONTROL_PROTOCOL')(error);
    assert.match((error as Error).message, /unknown method "nope"/);
    return true;
  });
  // Answers are matched by id: a slow call does not get a fast call's answer.
  const [slow, fast] = await Promise.all([client.call('slow', { ms: 200 }), client.call('slow', { ms: 10 })]);
  assert.deepEqual([slow, fast], [200, 10]);
  // A big answer (many chunks) arrives whole.
  assert.equal((await client.call<string>('big', { bytes: 3 << 20 })).length, 3 << 20);
  // An over-long request line (limit 64 KiB) is refused with a coded error and the connection closed.
  await assert.rejects(client.call('echo', { big: 'x'.repeat(2 << 20) }), expectCode('BAD_REQUEST'));
  assert.deepEqual(await (await connect(path)).call('echo', { after: true }), { got: { after: true } });
});

test('garbage on the socket gets a protocol error, and the connection still works', async () => {
  const path = await socketPath();
  await startServer(path, { hello: async () => 'hi' });
  const socket = createConnection(path);
  cleanups.push(() => {
    socket.destroy();
  });
  let text = '';
  socket.on('data', (c) => {
    text += c.toString();
  });
  socket.write('this is not json\n');
  socket.write(`${JSON.stringify({ id: 7, method: 'hello' })}\n`);
  await waitUntil(() => text.split('\n').filter(Boolean).length >= 2, { what: () => `two answers, got ${text}` });
  const [first, second] = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  assert.equal(first.id, -1);
  assert.equal(first.error.code, 'BAD_REQUEST');
  assert.deepEqual(second, { id: 7, result: 'hi' });
});

test('a second ControlServer on the same path: ALREADY_RUNNING, and the first keeps answering', async () => {
  const path = await socketPath();
  await startServer(path, { hello: async () => 'first' });
  const second = new ControlServer(path, { hello: async () => 'second' });
  await assert.rejects(second.listen(), (error: unknown) => {
    expectCode('ALREADY_RUNNING')(error);
    assert.match((error as Error).message, new RegExp(path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    return true;
  });
  assert.ok(existsSync(path), "the failed second server did not remove the first one's socket");
  const client = await connect(path);
  assert.equal(await client.call('hello'), 'first');
});

test('a stale socket file (its server died) is replaced', async () => {
  const path = await socketPath();
  // A socket file nobody listens on: bind, then close the server without unlinking.
  const dead: Server = createServer();
  await new Promise<void>((resolve) => dead.listen(path, () => resolve()));
  // Closing unlinks the path in Node; recreate a stale file as a dead process leaves it.
  await new Promise<void>((resolve) => dead.close(() => resolve()));
  await writeFile(path, '');
  assert.ok(existsSync(path));
  await assert.rejects(ControlClient.connect(path, '/state'), expectCode('NOT_RUNNING'));

  await startServer(path, { hello: async () => 'fresh' });
  const client = await connect(path);
  assert.equal(await client.call('hello'), 'fresh');
});

test('a socket left by a process that was SIGKILLed is replaced', async () => {
  const path = await socketPath();
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => {
    child.kill('SIGKILL');
  });
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  // While it lives, it owns the path.
  await assert.rejects(new ControlServer(path, {}).listen(), expectCode('ALREADY_RUNNING'));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  assert.ok(existsSync(path), 'SIGKILL leaves the socket file behind');
  await startServer(path, { hello: async () => 'after' });
  assert.equal(await (await connect(path)).call('hello'), 'after');
});

test('the socket is owner-only (0600) and removed by close()', async () => {
  const path = await socketPath();
  const server = new ControlServer(path, {});
  await server.listen();
  const mode = statSync(path).mode & 0o777;
  assert.equal(mode.toString(8), '600');
  await server.close();
  assert.equal(existsSync(path), false);
  await server.close(); // twice is fine
});

test('no server: connect fails with NOT_RUNNING naming the state dir', async () => {
  const path = await socketPath();
  await assert.rejects(ControlClient.connect(path, '/my/state'), (error: unknown) => {
    expectCode('NOT_RUNNING')(error);
    assert.match((error as Error).message, /\/my\/state/);
    assert.match((error as Error).message, /ENOENT/);
    return true;
  });
});

test('streaming: data messages then the result; an early client disconnect ends the handler', async () => {
  const path = await socketPath();
  let sent = 0;
  let sendFailedAfterClose = false;
  let handlerDone = false;
  let resolveClosedSeen: () => void = () => {};
  const closedSeen = new Promise<void>((r) => {
    resolveClosedSeen = r;
  });
  await startServer(path, {
    count: async (request) => {
      for (let i = 0; i < Number(request.params.n); i++) request.send({ i });
      return { done: true };
    },
    forever: async (request) => {
      let stop = false;
      void request.closed.then(() => {
        stop = true;
        resolveClosedSeen();
      });
      while (!stop) {
        if (request.send({ n: sent })) sent++;
        await new Promise((r) => setTimeout(r, 5)); // deliberate: the pace of the endless stream
      }
      sendFailedAfterClose = !request.send({ late: true });
      handlerDone = true;
      return null;
    },
  });

  const client = await connect(path);
  const items: unknown[] = [];
  let result: unknown;
  await client.stream(
    'count',
    { n: 50 },
    (d) => items.push(d),
    (r) => {
      result = r;
    },
  );
  assert.equal(items.length, 50);
  assert.deepEqual(items[49], { i: 49 });
  assert.deepEqual(result, { done: true });

  const follower = await ControlClient.connect(path, '/state');
  let received = 0;
  const streaming = follower.stream('forever', {}, () => {
    received++;
  });
  await waitUntil(() => received >= 5, { what: 'a few streamed messages' });
  follower.close();
  await assert.rejects(streaming, expectCode('NOT_RUNNING'));
  await closedSeen;
  await waitUntil(() => handlerDone, { what: 'the handler to end' });
  assert.equal(sendFailedAfterClose, true, 'send() returns false once the client is gone');
  // The server is still fine for others.
  assert.deepEqual(await client.call('count', { n: 0 }), { done: true });
});

test('close() ends open streams, and clients see the connection close', async () => {
  const path = await socketPath();
  const server = new ControlServer(path, {
    hang: async (request) => {
      request.send('started');
      await request.closed;
      return null;
    },
  });
  await server.listen();
  const client = await connect(path);
  let got = 0;
  const streaming = client.stream('hang', {}, () => {
    got++;
  });
  const outcome = streaming.then(
    () => null,
    (error: unknown) => error,
  );
  await waitUntil(() => got === 1, { what: 'the first data message' });
  await server.close();
  expectCode('NOT_RUNNING')(await outcome);
});

test('a bad reply rejects the pending call with BAD_REPLY instead of throwing from a listener', async () => {
  const path = await socketPath();
  const replies = ['not json', 'null', '[1]', '{"id":"x"}', '{"id":1,"error":"boom"}', '{"id":1}'];
  const fake: Server = createServer((socket) => {
    socket.on('data', () => {
      socket.write(`${replies.shift()}\n`);
    });
  });
  await new Promise<void>((resolve) => fake.listen(path, () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => fake.close(() => resolve())));
  const count = replies.length;
  for (let i = 0; i < count; i++) {
    const client = await connect(path);
    await assert.rejects(client.call('hello'), expectCode('BAD_REPLY'));
    client.close();
  }
});

test('an error code this version does not know arrives as CONTROL_PROTOCOL naming the code', async () => {
  const path = await socketPath();
  const fake: Server = createServer((socket) => {
    socket.on('data', () => {
      socket.write('{"id":1,"error":{"code":"FROM_THE_FUTURE","message":"newer"}}\n');
    });
  });
  await new Promise<void>((resolve) => fake.listen(path, () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => fake.close(() => resolve())));
  const client = await connect(path);
  await assert.rejects(client.call('hello'), (error: unknown) => {
    expectCode('CONTROL_PROTOCOL')(error);
    assert.match((error as Error).message, /newer \[FROM_THE_FUTURE\]/);
    return true;
  });
});

// The server's side of the control timeout: a request that asks for heartbeats gets
// `{id, heartbeat: true}` every heartbeatMs until its answer, and nothing after it; one that
// does not ask (an older client of the same protocol version) gets none; a heartbeatMs out of
// range is BAD_REQUEST, never a timer every millisecond.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ControlServer } from '../../../src/control/server.js';
import { rawClient } from './raw-client.js';

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function startServer(): Promise<{ path: string; finish: (value: unknown) => void }> {
  const dir = await mkdtemp(join(tmpdir(), 'lbdh-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'lb-dev.sock');
  const waiting: Array<(value: unknown) => void> = [];
  const server = new ControlServer(path, {
    // Answers when the test says so: a long call whose end the test controls.
    held: () => new Promise((resolve) => waiting.push(resolve)),
    quick: async () => 'now',
  });
  await server.listen();
  cleanups.push(() => server.close());
  return { path, finish: (value) => waiting.shift()?.(value) };
}

test('a request with heartbeatMs gets heartbeats until its answer, and none after; one without gets none', async () => {
  const { path, finish } = await startServer();
  const client = await rawClient(path);
  cleanups.push(() => client.socket.destroy());
  client.socket.write(`${JSON.stringify({ id: 7, method: 'held', heartbeatMs: 30 })}\n`);
  for (let i = 0; i < 3; i++) assert.deepEqual(await client.next(), { id: 7, heartbeat: true });
  finish('finished');
  // Beats already on their way may come first; then the answer, and no more beats for id 7.
  let reply = await client.next();
  while (JSON.stringify(reply) === '{"id":7,"heartbeat":true}') reply = await client.next();
  assert.deepEqual(reply, { id: 7, result: 'finished' });

  // Without heartbeatMs: the next line on the connection is the answer, however long it took.
  client.socket.write(`${JSON.stringify({ id: 8, method: 'held' })}\n`);
  const quick = await client.ask(JSON.stringify({ id: 9, method: 'quick', heartbeatMs: 25 }));
  assert.deepEqual(quick, { id: 9, result: 'now' }, 'a beat from the finished request 7, or one for 8, came first');
  // Request 8 is held for several of request 9's intervals: still no line.
  const settled = client.next();
  const early = await Promise.race([settled, new Promise((resolve) => setTimeout(() => resolve('none'), 200))]);
  assert.equal(early, 'none', `expected no line while request 8 is held without heartbeats, got ${JSON.stringify(early)}`);
  finish('eight');
  assert.deepEqual(await settled, { id: 8, result: 'eight' });
});

test('a heartbeatMs that is not a whole number from 25 to 60000 is answered BAD_REQUEST', async () => {
  const { path } = await startServer();
  const client = await rawClient(path);
  cleanups.push(() => client.socket.destroy());
  for (const heartbeatMs of [0, 1, 24, 60_001, 1.5, -100, '100', null, true, [], {}]) {
    const reply = (await client.ask(JSON.stringify({ id: 1, method: 'quick', heartbeatMs }))) as { id: number; error?: { code: string; message: string } };
    assert.equal(reply.error?.code, 'BAD_REQUEST', `heartbeatMs ${JSON.stringify(heartbeatMs)}: ${JSON.stringify(reply)}`);
    assert.match(reply.error.message, /^expected "heartbeatMs" to be a whole number from 25 to 60000, got /);
  }
  assert.deepEqual(await client.ask(JSON.stringify({ id: 2, method: 'quick', heartbeatMs: 25 })), { id: 2, result: 'now' });
});

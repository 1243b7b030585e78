// A full control socket (64 connections held open, the documented cap) as the built CLI meets
// it: the 65th command must say CONTROL_BUSY (exit 3), not that no lb-dev runs. The server
// answers CONTROL_BUSY and closes at once; the CLI connects, loads the command, then writes its
// request into a socket the server already closed: the EPIPE used to end it as NOT_RUNNING
// before it read the answer waiting in its buffer.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Socket, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ControlClient } from '../../../src/control/client.js';
import { ControlServer } from '../../../src/control/server.js';
import { isLbDevError } from '../../../src/core/errors.js';
import { runCli, waitUntil } from '../../helpers/lb-dev/index.js';

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

test('with 64 control connections open, the 65th client (the built CLI, and ControlClient) gets CONTROL_BUSY', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdb-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'lb-dev.sock');
  const server = new ControlServer(path, { hello: async () => ({ protocol: 1, pid: process.pid }), status: async () => ({}) });
  await server.listen();
  cleanups.push(() => server.close());
  const held: Socket[] = [];
  cleanups.push(() => {
    for (const s of held) s.destroy();
  });
  for (let i = 0; i < 64; i++) {
    const socket = createConnection(path);
    socket.on('error', () => undefined);
    held.push(socket);
  }
  await waitUntil(() => server.stats().connections === 64, { what: () => `64 held connections, stats ${JSON.stringify(server.stats())}` });

  for (const args of [
    ['status', '--json'],
    ['kill', '2'],
    ['logs', '-f'],
  ]) {
    const result = await runCli([...args, '--state-dir', dir], { built: true });
    assert.equal(result.code, 3, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /expected at most 64 open control connections, this would be one more \[CONTROL_BUSY\]/, args.join(' '));
  }
  // A client that writes its request only after the refusal arrived (as the CLI does).
  const late = await ControlClient.connect(path, dir);
  await waitUntil(() => server.stats().refused >= 4, { what: 'the refusal of the late client' });
  await assert.rejects(late.call('hello'), (error: unknown) => isLbDevError(error) && error.code === 'CONTROL_BUSY');
  late.close();
});

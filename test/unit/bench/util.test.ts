// The bench's start-up helpers (scripts/bench/lib/util.mjs): a start that fails because a port
// was taken is run again, any other failure is not, and waitFor gives up at once on a fatal
// error. Real sockets: the taken port is held by a real listener.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, test } from 'node:test';
// @ts-expect-error -- plain .mjs without types
import { fatal, freePort, retryIfPortTaken, waitFor } from '../../../scripts/bench/lib/util.mjs';

const listen = (port: number) =>
  new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

const held = await listen(0);
after(() => held.close());
const heldPort = (held.address() as net.AddressInfo).port;

test('a start that hits EADDRINUSE runs again and the second attempt wins', async () => {
  const tried: number[] = [];
  const server: net.Server = await retryIfPortTaken('test', async () => {
    const port = tried.length === 0 ? heldPort : await freePort();
    tried.push(port);
    return listen(port);
  });
  after(() => server.close());
  assert.equal(tried.length, 2);
  assert.equal(tried[0], heldPort);
  assert.equal((server.address() as net.AddressInfo).port, tried[1]);
});

test('gives up after the given number of attempts, with the last error', async () => {
  let attempts = 0;
  await assert.rejects(
    retryIfPortTaken(
      'test',
      () => {
        attempts++;
        return listen(heldPort);
      },
      3,
    ),
    (error: NodeJS.ErrnoException) => error.code === 'EADDRINUSE',
  );
  assert.equal(attempts, 3);
});

test('any other failure is not retried', async () => {
  let attempts = 0;
  await assert.rejects(
    retryIfPortTaken('test', async () => {
      attempts++;
      throw new Error('Traefik exited: bad config');
    }),
    /bad config/,
  );
  assert.equal(attempts, 1);
});

test('waitFor stops at a fatal error instead of polling until its timeout', async () => {
  let checks = 0;
  await assert.rejects(
    waitFor(
      'never',
      async () => {
        checks++;
        if (checks === 3) throw fatal('it exited');
        return false;
      },
      60_000,
      1,
    ),
    /it exited/,
  );
  assert.equal(checks, 3);
});

test('waitFor keeps polling through an ordinary error', async () => {
  let checks = 0;
  const value = await waitFor(
    'the third check',
    async () => {
      checks++;
      if (checks < 3) throw new Error('not yet');
      return 'done';
    },
    60_000,
    1,
  );
  assert.equal(value, 'done');
  assert.equal(checks, 3);
});

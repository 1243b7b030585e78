// The Rocket.Chat checks of up/doctor (src/app/rocketchat-checks.ts) against real sockets: a
// Rocket.Chat-like /api/info on the balancer port, a MongoDB URL with and without a listener.
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { after, test } from 'node:test';
import { BYTES_PER_METEOR_BUILD, checkBalancerPort, checkMemory, checkMongo, mongoHosts, preflightRocketChat } from '../../../src/app/rocketchat-checks.js';
import { resolveConfig } from '../../../src/core/config/schema.js';
import type { ConfigOverrides } from '../../../src/core/config/types.js';
import { LbDevError } from '../../../src/core/errors.js';
import { freePort } from '../../helpers/http.js';

const closers: Array<() => void> = [];
after(() => {
  for (const close of closers) close();
});

const config = (raw: Record<string, unknown>, overrides: ConfigOverrides = {}) =>
  resolveConfig({ preset: 'rocketchat', ...raw }, { source: null, overrides, cwd: '/repo', demoCommand: 'node demo' });

async function listen<T extends { listen: (port: number, host: string, cb: () => void) => unknown; address: () => unknown; close: () => unknown }>(
  server: T,
): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

test('mongoHosts: single host, replica set lists, default port, credentials; none for mongodb+srv', () => {
  assert.deepEqual(mongoHosts('mongodb://127.0.0.1:3001/meteor'), [{ host: '127.0.0.1', port: 3001 }]);
  assert.deepEqual(mongoHosts('mongodb://u:p@a:1,b/rc?replicaSet=rs0'), [
    { host: 'a', port: 1 },
    { host: 'b', port: 27017 },
  ]);
  assert.deepEqual(mongoHosts('mongodb://[::1]:27018/rc'), [{ host: '::1', port: 27018 }]);
  assert.deepEqual(mongoHosts('mongodb+srv://cluster.example/rc'), []);
});

test('a Rocket.Chat answering /api/info on the balancer port fails the check and offers --port; up stops before starting anything', async () => {
  const port = await listen(createHttpServer((_req, res) => res.end(JSON.stringify({ version: '7.11.0', success: true }))));
  const busy = config({ balancer: { port } });
  const result = await checkBalancerPort(busy);
  assert.equal(result.status, 'fail');
  assert.match(result.detail, new RegExp(`a Rocket.Chat \\(7.11.0\\) already answers on port ${port}`));
  assert.match(result.fix!, new RegExp(`--port ${port + 100}`));
  await assert.rejects(
    preflightRocketChat(busy, () => undefined),
    (error: unknown) => error instanceof LbDevError && error.code === 'PORT_IN_USE',
  );
  const other = await listen(createServer());
  assert.equal((await checkBalancerPort(config({ balancer: { port: other } }))).status, 'ok', "something else on the port is the generic check's business");
});

test('MongoDB: built in is fine; a URL nobody answers at fails (MONGO_UNREACHABLE); one that answers passes, warning without replicaSet=', async () => {
  assert.equal((await checkMongo(config({}))).status, 'ok');
  const nobody = await freePort();
  const down = config({}, { mongoUrl: `mongodb://127.0.0.1:${nobody}/rc?replicaSet=rs0` });
  assert.equal((await checkMongo(down)).status, 'fail');
  await assert.rejects(
    preflightRocketChat(down, () => undefined),
    (error: unknown) => error instanceof LbDevError && error.code === 'MONGO_UNREACHABLE',
  );
  const mongo = await listen(createServer((socket) => socket.end()));
  assert.equal((await checkMongo(config({}, { mongoUrl: `mongodb://127.0.0.1:${mongo}/rc?replicaSet=rs0` }))).status, 'ok');
  const noSet = await checkMongo(config({}, { mongoUrl: `mongodb://127.0.0.1:${mongo}/rc` }));
  assert.deepEqual([noSet.status, /replicaSet/.test(noSet.fix!)], ['warn', true]);
});

test('memory: N Meteor builds (independent) want N times a build; replicas mode wants one', () => {
  const independent = config({ rocketchat: { mode: 'independent', instances: 3 } });
  assert.equal(checkMemory(independent, 3 * BYTES_PER_METEOR_BUILD).status, 'ok');
  const short = checkMemory(independent, 2 * BYTES_PER_METEOR_BUILD);
  assert.equal(short.status, 'warn');
  assert.match(short.detail, /3 Meteor dev build\(s\)/);
  assert.equal(checkMemory(config({ rocketchat: { instances: 3 } }), 2 * BYTES_PER_METEOR_BUILD).status, 'ok');
});

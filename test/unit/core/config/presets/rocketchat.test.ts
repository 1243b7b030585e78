// preset: rocketchat (src/core/config/presets/rocketchat.ts, apply.ts): the groups each mode
// expands into, table-driven, and through resolveConfig: flags, MONGO_URL, user keys winning.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig } from '../../../../../src/core/config/schema.js';
import type { ConfigOverrides } from '../../../../../src/core/config/types.js';
import { LICENCE_NOTICE, mergeRaw, rocketChatPreset } from '../../../../../src/core/config/presets/rocketchat.js';

const resolve = (raw: unknown, overrides: ConfigOverrides = {}) =>
  resolveConfig(raw, { source: '/repo/lb-dev.config.yaml', overrides, cwd: '/repo', demoCommand: 'node demo' });

/** Each group as name -> [instances, command, reservePorts, dependsOn, startOrder, MONGO_URL, METEOR_LOCAL_DIR]. */
function summary(raw: unknown) {
  return Object.fromEntries(
    resolve(raw).groups.map((g) => [
      g.name,
      [
        g.instances,
        g.command.startsWith('meteor') ? 'meteor' : g.command,
        g.reservePorts,
        g.dependsOn,
        g.startOrder,
        g.env['MONGO_URL'] ?? null,
        g.env['METEOR_LOCAL_DIR'] ?? null,
      ],
    ]),
  );
}

const builtIn = 'mongodb://127.0.0.1:{meteor-1.extraPort1}/meteor';
const cases = [
  {
    name: 'replicas (the default), 3 instances, built-in MongoDB',
    raw: { preset: 'rocketchat' },
    groups: {
      meteor: [1, 'meteor', 1, [], 'parallel', null, null],
      replica: [2, 'node .meteor/local/build/main.js', 0, ['meteor-1'], 'parallel', builtIn, null],
    },
  },
  {
    name: "replicas with a MongoDB URL: no port reserved for Meteor's own",
    raw: { preset: 'rocketchat', rocketchat: { instances: 2, mongoUrl: 'mongodb://db:27017/rc?replicaSet=rs0' } },
    groups: {
      meteor: [1, 'meteor', 0, [], 'parallel', 'mongodb://db:27017/rc?replicaSet=rs0', null],
      replica: [1, 'node .meteor/local/build/main.js', 0, ['meteor-1'], 'parallel', 'mongodb://db:27017/rc?replicaSet=rs0', null],
    },
  },
  {
    name: 'independent, 3: each its own build dir, the others one after another',
    raw: { preset: 'rocketchat', rocketchat: { mode: 'independent' } },
    groups: {
      meteor: [1, 'meteor', 1, [], 'parallel', null, '.meteor/local-{name}'],
      peer: [2, 'meteor', 0, ['meteor-1'], 'sequential', builtIn, '.meteor/local-{name}'],
    },
  },
  {
    name: 'one instance: meteor alone',
    raw: { preset: 'rocketchat', rocketchat: { instances: 1 } },
    groups: { meteor: [1, 'meteor', 1, [], 'parallel', null, null] },
  },
];

for (const { name, raw, groups } of cases) {
  test(`expands: ${name}`, () => assert.deepEqual(summary(raw), groups));
}

test('what every instance shares: ROOT_URL = the balancer, INSTANCE_IP, readiness, start timeout, balancer settings', () => {
  const config = resolve({ preset: 'rocketchat' });
  for (const group of config.groups) {
    assert.equal(group.env['ROOT_URL'], '{url}');
    assert.equal(group.env['INSTANCE_IP'], '127.0.0.1');
    assert.equal(group.readiness.http?.path, '/api/info');
    assert.equal(group.readiness.logPattern, 'SERVER RUNNING');
    assert.equal(group.cwd, '/repo/apps/meteor');
  }
  assert.equal(config.groups[0]!.readiness.startTimeoutMs, 20 * 60_000);
  assert.equal(config.groups[0]!.command, 'meteor --exclude-archs "web.browser.legacy, web.cordova" --port {port}');
  assert.deepEqual(config.groups[1]!.restartOn, {
    logFrom: 'meteor',
    logPattern: '^=> Meteor server restarted',
    files: ['.meteor/local/build/main.js'],
    drainMs: 1000,
  });
  assert.deepEqual(
    [config.balancer.port, config.balancer.stickyCookie, config.balancer.websocketPaths, config.balancer.healthCheck?.path],
    [3000, 'rocketchat-server', ['/websocket', '/sockjs'], '/api/info'],
  );
  assert.deepEqual(config.notices, [LICENCE_NOTICE]);
});

test('flags and environment: -n is all instances, --mode, --mongo-url over MONGO_URL over the file', () => {
  const config = resolve(
    { preset: 'rocketchat', rocketchat: { mongoUrl: 'mongodb://file/db' } },
    { instances: 4, mode: 'independent', envMongoUrl: 'mongodb://env/db' },
  );
  assert.deepEqual(
    config.groups.map((g) => [g.name, g.instances, g.env['MONGO_URL']]),
    [
      ['meteor', 1, 'mongodb://env/db'],
      ['peer', 3, 'mongodb://env/db'],
    ],
  );
  const flagged = resolve({ preset: 'rocketchat' }, { mongoUrl: 'mongodb://flag/db', envMongoUrl: 'mongodb://env/db' });
  assert.equal(flagged.groups[1]!.env['MONGO_URL'], 'mongodb://flag/db');
  const badEnv = resolve({ preset: 'rocketchat' }, { envMongoUrl: 'localhost' });
  assert.equal(badEnv.groups[1]!.env['MONGO_URL'], builtIn);
  assert.match(badEnv.notices![0]!, /MONGO_URL in the environment is not a MongoDB URL/);
});

test("every key stays overridable: the file's keys win, group by group and key by key", () => {
  const config = resolve({
    preset: 'rocketchat',
    balancer: { port: 4000 },
    groups: { replica: { instances: 5, env: { EXTRA: 'x' }, readiness: { startTimeout: '1m' } } },
  });
  const replica = config.groups[1]!;
  assert.deepEqual([config.balancer.port, config.balancer.stickyCookie], [4000, 'rocketchat-server']);
  assert.deepEqual(
    [replica.instances, replica.env['EXTRA'], replica.env['INSTANCE_IP'], replica.readiness.startTimeoutMs, replica.readiness.http?.path],
    [5, 'x', '127.0.0.1', 60_000, '/api/info'],
  );
});

test('--mode and --mongo-url need the preset; bad preset settings are reported', () => {
  assert.throws(
    () => resolve({ command: 'x' }, { mode: 'replicas' }),
    (error: Error & { details?: string[] }) => /--mode: expected `preset: rocketchat`/.test(error.details?.[0] ?? ''),
  );
  assert.throws(
    () => resolve({ preset: 'rocketchat', rocketchat: { mode: 'cluster' } }),
    (error: Error & { details?: string[] }) => /rocketchat.mode: expected one of replicas, independent, got "cluster"/.test(error.details?.[0] ?? ''),
  );
});

test('mergeRaw: mappings merge, lists and scalars replace, null keeps the base', () => {
  assert.deepEqual(mergeRaw({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, d: null, e: 3 }), { a: { b: 1, c: [2] }, d: 1, e: 3 });
  assert.deepEqual(rocketChatPreset({ mode: 'replicas', instances: 1, mongoUrl: null, appDir: 'x' }).notices, []);
});

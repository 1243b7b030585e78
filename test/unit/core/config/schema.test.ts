// resolveConfig (src/core/config/schema.ts): the defaults, the values a file sets, and groups.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_DEFAULTS } from '../../../../src/core/config/schema.js';
import { CWD, DEMO, resolve } from './resolve-config.js';

describe('resolveConfig: defaults', () => {
  for (const raw of [undefined, null, {}]) {
    it(`an empty file (${JSON.stringify(raw) ?? 'undefined'}) gives the defaults and the demo app`, () => {
      const config = resolve(raw);
      assert.equal(config.usingDemoApp, true);
      assert.equal(config.source, `${CWD}/lb-dev.config.yaml`);
      assert.equal(config.stateDir, `${CWD}/.lb-dev`);
      assert.deepEqual(config.balancer, {
        host: '127.0.0.1',
        port: 3000,
        stickyCookie: 'lb-dev-server',
        websocketPaths: ['/websocket', '/sockjs'],
        healthCheck: { path: '/', intervalMs: 1_000, timeoutMs: 1_000 },
        passiveHealthCheck: { failureWindowMs: 5_000, maxFailedAttempts: 2 },
        retry: { attempts: 3, initialIntervalMs: 50 },
      });
      assert.deepEqual(config.traefik, {
        mode: 'auto',
        image: 'traefik:v3.6',
        binary: 'traefik',
        apiPort: 8080,
        apiUrl: null,
        network: 'auto',
        throttleMs: 100,
        confirmTimeoutMs: 10_000,
        accessLog: true,
        metrics: false,
        download: true,
        downloadUrl: null,
      });
      assert.deepEqual(config.explicit, { traefikApiPort: false, traefikBinary: false, dashboardPort: false });
      assert.deepEqual(config.logs, { maxFileBytes: 10_000_000, maxFiles: 3, ringBufferLines: 1000 });
      assert.deepEqual(config.groups, [
        {
          name: 'app',
          command: DEMO,
          instances: 3,
          cwd: CWD,
          env: {},
          reservePorts: 0,
          readiness: {
            http: { path: '/', intervalMs: 500, healthIntervalMs: 5_000, timeoutMs: 2_000, expectStatus: { min: 200, max: 399 } },
            logPattern: null,
            startTimeoutMs: 600_000,
            failureThreshold: 3,
            successThreshold: 1,
          },
          restart: { enabled: true, initialDelayMs: 500, maxDelayMs: 30_000, multiplier: 2, jitter: 0.2, resetAfterMs: 60_000 },
          stopGraceMs: 5_000,
          dependsOn: [],
          startOrder: 'parallel',
          restartOn: { logFrom: null, logPattern: null, files: [], drainMs: 1_000 },
        },
      ]);
    });
  }

  it('with no file, paths are relative to the cwd', () => {
    const config = resolve({ cwd: 'app', stateDir: 'state' }, {}, { source: null });
    assert.equal(config.source, null);
    assert.equal(config.groups[0]!.cwd, `${CWD}/app`);
    assert.equal(config.stateDir, `${CWD}/state`);
  });

  it('the defaults constant resolves to the same config as an empty file', () => {
    // Except which keys were written: all of them, in the constant.
    const written = { ...resolve(JSON.parse(JSON.stringify(CONFIG_DEFAULTS))), explicit: null };
    assert.deepEqual(written, { ...resolve({}), explicit: null });
    assert.deepEqual(
      resolve({ traefik: { apiPort: 8080 } }).explicit,
      { traefikApiPort: true, traefikBinary: false, dashboardPort: false },
      'written = explicit, even at the default value',
    );
    assert.deepEqual(
      resolve({ dashboard: { port: 8079 } }).explicit,
      { traefikApiPort: false, traefikBinary: false, dashboardPort: true },
      'dashboard.port written: it must not give way',
    );
  });
});

describe('resolveConfig: values', () => {
  it('reads every kind of value', () => {
    const config = resolve({
      stateDir: '../state',
      balancer: {
        host: '0.0.0.0',
        port: 4000,
        stickyCookie: false,
        websocketPaths: ['/ws'],
        healthCheck: false,
        passiveHealthCheck: { failureWindow: '10s' },
        retry: false,
      },
      traefik: { mode: 'external', apiUrl: 'http://127.0.0.1:9000/', network: 'bridge', throttle: 0, confirmTimeout: '1m30s', accessLog: false },
      logs: { maxFileSize: '1MiB', maxFiles: 0, ringBufferLines: 50 },
      command: 'yarn dev --port {port}',
      instances: 5,
      cwd: 'apps/web',
      env: { ROOT_URL: '{url}', DEBUG: 1, VERBOSE: true },
      reservePorts: 1,
      readiness: { http: { path: '/api/info', expectStatus: 200 }, logPattern: 'ready in \\d+ms', startTimeout: '15m' },
      restart: { enabled: false, jitter: 0, multiplier: 1.5 },
      stopGracePeriod: '10s',
    });
    assert.equal(config.usingDemoApp, false);
    assert.equal(config.stateDir, '/home/me/state');
    assert.deepEqual(config.balancer, {
      host: '0.0.0.0',
      port: 4000,
      stickyCookie: null,
      websocketPaths: ['/ws'],
      healthCheck: null,
      passiveHealthCheck: { failureWindowMs: 10_000, maxFailedAttempts: 2 },
      retry: null,
    });
    assert.equal(config.traefik.apiUrl, 'http://127.0.0.1:9000');
    assert.deepEqual(
      config.explicit,
      { traefikApiPort: false, traefikBinary: false, dashboardPort: false },
      'apiPort and binary not written: defaults that may give way',
    );
    assert.equal(config.traefik.confirmTimeoutMs, 90_000);
    assert.equal(config.traefik.throttleMs, 0);
    assert.deepEqual(config.logs, { maxFileBytes: 1024 * 1024, maxFiles: 0, ringBufferLines: 50 });
    const group = config.groups[0]!;
    assert.equal(group.name, 'app');
    assert.equal(group.command, 'yarn dev --port {port}');
    assert.equal(group.instances, 5);
    assert.equal(group.cwd, `${CWD}/apps/web`);
    assert.deepEqual(group.env, { ROOT_URL: '{url}', DEBUG: '1', VERBOSE: 'true' });
    assert.deepEqual(group.readiness.http, {
      path: '/api/info',
      intervalMs: 500,
      healthIntervalMs: 5_000,
      timeoutMs: 2_000,
      expectStatus: { min: 200, max: 200 },
    });
    assert.equal(group.readiness.logPattern, 'ready in \\d+ms');
    assert.equal(group.readiness.startTimeoutMs, 900_000);
    assert.deepEqual(group.restart, { enabled: false, initialDelayMs: 500, maxDelayMs: 30_000, multiplier: 1.5, jitter: 0, resetAfterMs: 60_000 });
    assert.equal(group.stopGraceMs, 10_000);
  });

  it('null sections (every key commented out) and `true` mean the defaults', () => {
    const config = resolve({ balancer: { healthCheck: true, retry: null, stickyCookie: true }, traefik: null, readiness: { http: null } });
    assert.deepEqual(config, resolve({}));
  });

  it("Traefik's health check asks the readiness path unless given its own", () => {
    assert.equal(resolve({ readiness: { http: { path: '/api/info' } } }).balancer.healthCheck?.path, '/api/info');
    assert.equal(resolve({ readiness: { http: false, logPattern: 'up' } }).balancer.healthCheck?.path, '/');
    assert.equal(
      resolve({ balancer: { healthCheck: { path: '/healthz' } }, readiness: { http: { path: '/api/info' } } }).balancer.healthCheck?.path,
      '/healthz',
    );
  });

  it('readiness by log pattern alone', () => {
    const config = resolve({ readiness: { http: false, logPattern: 'listening' } });
    assert.equal(config.groups[0]!.readiness.http, null);
    assert.equal(config.groups[0]!.readiness.logPattern, 'listening');
  });
});

describe('resolveConfig: groups', () => {
  it('keeps groups in declaration order, each with its own settings and defaults', () => {
    const config = resolve({
      groups: {
        web: { command: 'yarn web', instances: 2, cwd: 'web' },
        'api-2': { command: 'yarn api', readiness: { http: { path: '/health' } } },
      },
    });
    assert.deepEqual(
      config.groups.map((g) => [g.name, g.command, g.instances, g.cwd, g.readiness.http?.path]),
      [
        ['web', 'yarn web', 2, `${CWD}/web`, '/'],
        ['api-2', 'yarn api', 3, CWD, '/health'],
      ],
    );
    assert.equal(config.usingDemoApp, false);
  });

  it('a single named group without a command runs the demo app under its name', () => {
    const config = resolve({ groups: { web: { instances: 2 } } });
    assert.equal(config.usingDemoApp, true);
    assert.deepEqual(
      config.groups.map((g) => [g.name, g.command, g.instances]),
      [['web', DEMO, 2]],
    );
  });

  it('group cwd is relative to the config file directory', () => {
    const config = resolve({ cwd: 'sub' }, {}, { source: '/elsewhere/conf/lb.yaml' });
    assert.equal(config.groups[0]!.cwd, '/elsewhere/conf/sub');
    assert.equal(config.stateDir, `${CWD}/.lb-dev`, 'the default state dir stays in the cwd');
  });
});

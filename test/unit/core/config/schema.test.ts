import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LbDevError } from '../../../../src/core/errors.js';
import { CONFIG_DEFAULTS, resolveConfig, type ResolveOptions } from '../../../../src/core/config/schema.js';
import type { ConfigOverrides, LbDevConfig } from '../../../../src/core/config/types.js';

const CWD = '/home/me/project';
const DEMO = 'node /opt/lb-dev/dist/demo/main.js';

function resolve(raw: unknown, overrides: ConfigOverrides = {}, extra: Partial<ResolveOptions> = {}): LbDevConfig {
  return resolveConfig(raw, { source: `${CWD}/lb-dev.config.yaml`, overrides, cwd: CWD, demoCommand: DEMO, ...extra });
}

/** The CONFIG_INVALID error's headline and detail lines. */
function problems(raw: unknown, overrides: ConfigOverrides = {}, extra: Partial<ResolveOptions> = {}): { message: string; details: readonly string[] } {
  try {
    resolve(raw, overrides, extra);
  } catch (error) {
    assert.ok(error instanceof LbDevError, `expected an LbDevError, got ${String(error)}`);
    assert.equal(error.code, 'CONFIG_INVALID');
    return { message: error.message, details: error.details };
  }
  assert.fail('expected resolveConfig to throw CONFIG_INVALID, it returned a config');
}

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
        mode: 'auto', image: 'traefik:v3.6', binary: 'traefik', apiPort: 8080, apiUrl: null,
        network: 'auto', throttleMs: 100, confirmTimeoutMs: 10_000, accessLog: true, download: true, downloadUrl: null,
      });
      assert.deepEqual(config.explicit, { traefikApiPort: false, traefikBinary: false, dashboardPort: false });
      assert.deepEqual(config.logs, { maxFileBytes: 10_000_000, maxFiles: 3, ringBufferLines: 1000 });
      assert.deepEqual(config.groups, [{
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
      }]);
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
    assert.deepEqual(resolve({ traefik: { apiPort: 8080 } }).explicit, { traefikApiPort: true, traefikBinary: false, dashboardPort: false }, 'written = explicit, even at the default value');
    assert.deepEqual(resolve({ dashboard: { port: 8079 } }).explicit, { traefikApiPort: false, traefikBinary: false, dashboardPort: true }, 'dashboard.port written: it must not give way');
  });
});

describe('resolveConfig: values', () => {
  it('reads every kind of value', () => {
    const config = resolve({
      stateDir: '../state',
      balancer: {
        host: '0.0.0.0', port: 4000, stickyCookie: false, websocketPaths: ['/ws'],
        healthCheck: false, passiveHealthCheck: { failureWindow: '10s' }, retry: false,
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
      host: '0.0.0.0', port: 4000, stickyCookie: null, websocketPaths: ['/ws'],
      healthCheck: null, passiveHealthCheck: { failureWindowMs: 10_000, maxFailedAttempts: 2 }, retry: null,
    });
    assert.equal(config.traefik.apiUrl, 'http://127.0.0.1:9000');
    assert.deepEqual(config.explicit, { traefikApiPort: false, traefikBinary: false, dashboardPort: false }, 'apiPort and binary not written: defaults that may give way');
    assert.equal(config.traefik.confirmTimeoutMs, 90_000);
    assert.equal(config.traefik.throttleMs, 0);
    assert.deepEqual(config.logs, { maxFileBytes: 1024 * 1024, maxFiles: 0, ringBufferLines: 50 });
    const group = config.groups[0]!;
    assert.equal(group.name, 'app');
    assert.equal(group.command, 'yarn dev --port {port}');
    assert.equal(group.instances, 5);
    assert.equal(group.cwd, `${CWD}/apps/web`);
    assert.deepEqual(group.env, { ROOT_URL: '{url}', DEBUG: '1', VERBOSE: 'true' });
    assert.deepEqual(group.readiness.http, { path: '/api/info', intervalMs: 500, healthIntervalMs: 5_000, timeoutMs: 2_000, expectStatus: { min: 200, max: 200 } });
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
    assert.equal(resolve({ balancer: { healthCheck: { path: '/healthz' } }, readiness: { http: { path: '/api/info' } } }).balancer.healthCheck?.path, '/healthz');
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
    assert.deepEqual(config.groups.map((g) => [g.name, g.command, g.instances, g.cwd, g.readiness.http?.path]), [
      ['web', 'yarn web', 2, `${CWD}/web`, '/'],
      ['api-2', 'yarn api', 3, CWD, '/health'],
    ]);
    assert.equal(config.usingDemoApp, false);
  });

  it('a single named group without a command runs the demo app under its name', () => {
    const config = resolve({ groups: { web: { instances: 2 } } });
    assert.equal(config.usingDemoApp, true);
    assert.deepEqual(config.groups.map((g) => [g.name, g.command, g.instances]), [['web', DEMO, 2]]);
  });

  it('group cwd is relative to the config file directory', () => {
    const config = resolve({ cwd: 'sub' }, {}, { source: '/elsewhere/conf/lb.yaml' });
    assert.equal(config.groups[0]!.cwd, '/elsewhere/conf/sub');
    assert.equal(config.stateDir, `${CWD}/.lb-dev`, 'the default state dir stays in the cwd');
  });
});

describe('resolveConfig: overrides', () => {
  it('flags override the file: instances and command on the first group, port, host, traefik, stateDir', () => {
    const config = resolve(
      { stateDir: 'from-file', balancer: { port: 4000, host: '0.0.0.0' }, traefik: { mode: 'docker' }, groups: { web: { command: 'a', instances: 2 }, api: { command: 'b', instances: 2 } } },
      { instances: 7, command: 'yarn other', port: 5000, host: '127.0.0.2', traefik: 'binary', stateDir: 'flag-dir' },
    );
    assert.deepEqual(config.groups.map((g) => [g.name, g.command, g.instances]), [['web', 'yarn other', 7], ['api', 'b', 2]]);
    assert.equal(config.balancer.port, 5000);
    assert.equal(config.balancer.host, '127.0.0.2');
    assert.equal(config.traefik.mode, 'binary');
    assert.equal(config.stateDir, `${CWD}/flag-dir`);
  });

  it('--command turns the demo app off', () => {
    const config = resolve({}, { command: 'yarn dev' });
    assert.equal(config.usingDemoApp, false);
    assert.equal(config.groups[0]!.command, 'yarn dev');
  });

  it('--state-dir is relative to the cwd even when the file is elsewhere', () => {
    const config = resolve({}, { stateDir: 'st' }, { source: '/elsewhere/lb.yaml' });
    assert.equal(config.stateDir, `${CWD}/st`);
  });

  const badFlags: Array<[ConfigOverrides, string]> = [
    [{ instances: 0 }, '--instances: expected a whole number from 1 to 64, got 0'],
    [{ instances: 65 }, '--instances: expected a whole number from 1 to 64, got 65'],
    [{ instances: Number.NaN }, '--instances: expected a whole number from 1 to 64, got NaN'],
    [{ instances: 1.5 }, '--instances: expected a whole number from 1 to 64, got 1.5'],
    [{ port: 70000 }, '--port: expected a port number from 1 to 65535, got 70000'],
    [{ traefik: 'dokcer' as never }, '--traefik: expected one of auto, docker, binary, external, got "dokcer" (did you mean `docker`?)'],
    [{ command: '  ' }, '--command: expected a command line like `yarn dev`, got "  "'],
    [{ stateDir: '' }, '--state-dir: expected a directory path, got ""'],
    [{ host: 'a b' }, '--host: expected a host name or IP address like 127.0.0.1 or 0.0.0.0, got "a b"'],
  ];
  for (const [overrides, detail] of badFlags) {
    it(`rejects ${JSON.stringify(overrides)} naming the flag`, () => {
      assert.deepEqual(problems({}, overrides), { message: 'the flags have 1 problem', details: [detail] });
    });
  }

  it('flag problems come first, then file problems; the headline names both', () => {
    assert.deepEqual(problems({ instances: 0 }, { port: 0 }), {
      message: 'lb-dev.config.yaml and the flags have 2 problems',
      details: ['--port: expected a port number from 1 to 65535, got 0', 'instances: expected a whole number from 1 to 64, got 0'],
    });
  });
});

describe('resolveConfig: problems', () => {
  const cases: Array<[string, unknown, string]> = [
    ['top level not a mapping', ['a'], 'expected a mapping of settings like `balancer:` and `groups:`, got a list'],
    ['unknown key with suggestion', { instanses: 2 }, 'instanses: unknown key "instanses"; did you mean `instances`?'],
    ['unknown key in a section', { balancer: { prot: 1 } }, 'balancer.prot: unknown key "prot"; did you mean `port`?'],
    ['key in the wrong section', { port: 3000 }, 'port: unknown key "port"; did you mean `balancer.port`?'],
    ['key in the wrong section (group)', { startTimeout: '5m' }, 'startTimeout: unknown key "startTimeout"; did you mean `readiness.startTimeout`?'],
    ['unknown key without suggestion', { logs: { zzz: 1 } }, 'logs.zzz: unknown key "zzz"; expected one of maxFileSize, maxFiles, ringBufferLines'],
    ['section of the wrong type', { balancer: 'x' }, 'balancer: expected a mapping of balancer settings, got "x"'],
    ['optional section of the wrong type', { balancer: { retry: 3 } }, 'balancer.retry: expected a mapping of retry settings, or false, got 3'],
    ['instances 0', { instances: 0 }, 'instances: expected a whole number from 1 to 64, got 0'],
    ['instances as text', { instances: 'three' }, 'instances: expected a whole number from 1 to 64, got "three"'],
    ['port out of range', { balancer: { port: 70000 } }, 'balancer.port: expected a port number from 1 to 65535, got 70000'],
    ['port empty', { balancer: { port: null } }, 'balancer.port: expected a port number from 1 to 65535, got nothing'],
    ['api port = balancer port', { traefik: { apiPort: 3000 } }, "traefik.apiPort: expected a port other than the balancer's (balancer.port 3000), got 3000"],
    ['jitter above 1', { restart: { jitter: 1.5 } }, 'restart.jitter: expected a number from 0 to 1, got 1.5'],
    ['multiplier below 1', { restart: { multiplier: 0.5 } }, 'restart.multiplier: expected a number from 1 to 100, got 0.5'],
    ['max delay below initial delay', { restart: { initialDelay: '5s', maxDelay: '1s' } }, 'restart.maxDelay: expected at least restart.initialDelay (5s), got 1s'],
    ['enabled not boolean', { restart: { enabled: 'yes' } }, 'restart.enabled: expected true or false, got "yes"'],
    ['traefik mode', { traefik: { mode: 'dokcer' } }, 'traefik.mode: expected one of auto, docker, binary, external, got "dokcer" (did you mean `docker`?)'],
    ['network', { traefik: { network: 'none' } }, 'traefik.network: expected one of auto, host, bridge, got "none"'],
    ['api url', { traefik: { apiUrl: 'ftp://x' } }, 'traefik.apiUrl: expected an http:// or https:// URL like http://127.0.0.1:8080, or null, got "ftp://x"'],
    ['bad duration', { stopGracePeriod: '5 seconds' }, 'stopGracePeriod: expected a duration like 500ms, 5s or 1m30s, got "5 seconds"'],
    ['zero interval', { readiness: { http: { interval: 0 } } }, 'readiness.http.interval: expected a duration of at least 1ms, like 500ms, 5s or 1m30s, got 0'],
    ['bad size', { logs: { maxFileSize: '10 megs' } }, 'logs.maxFileSize: expected a size of at least 1KiB, like 512KB, 10MB or 1GiB, got "10 megs"'],
    ['regex that does not compile', { readiness: { logPattern: 'ready (' } }, 'readiness.logPattern: expected a regular expression like `listening on port \\d+`, got "ready (" (Invalid regular expression: /ready (/: Unterminated group)'],
    ['expectStatus garbage', { readiness: { http: { expectStatus: '2xx' } } }, 'readiness.http.expectStatus: expected an HTTP status like 200 or a range like 200-399 (100 to 599), got "2xx"'],
    ['expectStatus reversed', { readiness: { http: { expectStatus: '399-200' } } }, 'readiness.http.expectStatus: expected an HTTP status like 200 or a range like 200-399 (100 to 599), got "399-200"'],
    ['no readiness at all', { readiness: { http: false } }, 'readiness: expected a way to tell that an instance is ready: readiness.http, readiness.logPattern or both, got neither (http: false and no logPattern)'],
    ['health path without slash', { balancer: { healthCheck: { path: 'health' } } }, 'balancer.healthCheck.path: expected a URL path starting with /, like /api/info, got "health"'],
    ['websocketPaths not a list', { balancer: { websocketPaths: '/ws' } }, 'balancer.websocketPaths: expected a list, got "/ws"'],
    ['websocketPaths item', { balancer: { websocketPaths: ['/ws', 'sockjs'] } }, 'balancer.websocketPaths.1: expected a URL path starting with /, like /api/info, got "sockjs"'],
    ['sticky cookie name', { balancer: { stickyCookie: 'a b' } }, 'balancer.stickyCookie: expected a cookie name like lb-dev-server, or false, got "a b"'],
    ['env not a mapping', { env: ['A=1'] }, 'env: expected a mapping of environment variable names to values, got a list'],
    ['env name', { env: { 'MY-VAR': 'x' } }, 'env.MY-VAR: expected an environment variable name like ROOT_URL (letters, digits, _), got "MY-VAR"'],
    ['env value', { env: { A: { b: 1 } } }, 'env.A: expected a string value (templated with {port} {index} {name} {url}), got a mapping'],
    ['reservePorts', { reservePorts: -1 }, 'reservePorts: expected a whole number from 0 to 16, got -1'],
    ['command not text', { command: 42 }, 'command: expected a command line like `yarn dev`, got 42'],
    ['shorthand and groups', { instances: 2, groups: { app: { command: 'x' } } }, 'instances: expected group settings either at the top level (one group) or under `groups:`, got both: top-level `instances` next to `groups:`'],
    ['groups empty', { groups: {} }, 'groups: expected a mapping of group name -> group settings, like `groups: { app: { command: yarn dev } }`, got an empty mapping'],
    ['groups a list', { groups: [{ command: 'x' }] }, 'groups: expected a mapping of group name -> group settings, like `groups: { app: { command: yarn dev } }`, got a list'],
    ['group name', { groups: { Web_1: { command: 'x' } } }, 'groups.Web_1: expected a group name of lowercase letters, digits and dashes that starts with a letter (like app or web-2), got "Web_1"'],
    ['group without command among others', { groups: { web: { command: 'x' }, api: {} } }, 'groups.api: expected a `command:` for group api, like `command: yarn dev`, got none'],
    ['stateDir empty', { stateDir: '' }, 'stateDir: expected a non-empty string, got ""'],
  ];
  for (const [name, raw, detail] of cases) {
    it(`${name}: ${detail}`, () => {
      assert.deepEqual(problems(raw), { message: 'lb-dev.config.yaml has 1 problem', details: [detail] });
    });
  }

  it('several groups without any command: each one is named', () => {
    assert.deepEqual(problems({ groups: { web: {}, api: {} } }).details, [
      'groups.web: expected a `command:` for group web (only a single group can fall back to the built-in demo app), got none',
      'groups.api: expected a `command:` for group api (only a single group can fall back to the built-in demo app), got none',
    ]);
  });

  it('collects every problem, in line order, each with its line', () => {
    const lines: Record<string, number> = {
      balancer: 1, 'balancer.port': 2, groups: 3, 'groups.app': 4, 'groups.app.instances': 5, 'groups.app.readiness': 6, 'groups.app.readiness.http': 7,
    };
    const { message, details } = problems(
      { groups: { app: { readiness: { http: { interval: 'soon' } }, instances: 0 } }, balancer: { port: 0 } },
      {},
      { positions: (path) => lines[path.join('.')] },
    );
    assert.equal(message, 'lb-dev.config.yaml has 3 problems');
    assert.deepEqual(details, [
      'line 2: balancer.port: expected a port number from 1 to 65535, got 0',
      'line 5: groups.app.instances: expected a whole number from 1 to 64, got 0',
      // interval has no line of its own here: the nearest enclosing key's line is used
      'line 7: groups.app.readiness.http.interval: expected a duration of at least 1ms, like 500ms, 5s or 1m30s, got "soon"',
    ]);
  });

  it('names a config file outside the cwd by its absolute path', () => {
    assert.equal(problems({ instances: 0 }, {}, { source: '/etc/lb.yaml' }).message, '/etc/lb.yaml has 1 problem');
  });

  it('without a file the headline says "the configuration"', () => {
    assert.equal(problems({ instances: 0 }, {}, { source: null }).message, 'the configuration has 1 problem');
  });
});

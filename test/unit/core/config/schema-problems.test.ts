// resolveConfig (src/core/config/schema.ts): what an invalid config is told (CONFIG_INVALID and its details).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { problems } from './resolve-config.js';

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
    [
      'max delay below initial delay',
      { restart: { initialDelay: '5s', maxDelay: '1s' } },
      'restart.maxDelay: expected at least restart.initialDelay (5s), got 1s',
    ],
    ['enabled not boolean', { restart: { enabled: 'yes' } }, 'restart.enabled: expected true or false, got "yes"'],
    ['traefik mode', { traefik: { mode: 'dokcer' } }, 'traefik.mode: expected one of auto, docker, binary, external, got "dokcer" (did you mean `docker`?)'],
    ['network', { traefik: { network: 'none' } }, 'traefik.network: expected one of auto, host, bridge, got "none"'],
    ['api url', { traefik: { apiUrl: 'ftp://x' } }, 'traefik.apiUrl: expected an http:// or https:// URL like http://127.0.0.1:8080, or null, got "ftp://x"'],
    ['bad duration', { stopGracePeriod: '5 seconds' }, 'stopGracePeriod: expected a duration like 500ms, 5s or 1m30s, got "5 seconds"'],
    ['zero interval', { readiness: { http: { interval: 0 } } }, 'readiness.http.interval: expected a duration of at least 1ms, like 500ms, 5s or 1m30s, got 0'],
    ['bad size', { logs: { maxFileSize: '10 megs' } }, 'logs.maxFileSize: expected a size of at least 1KiB, like 512KB, 10MB or 1GiB, got "10 megs"'],
    [
      'regex that does not compile',
      { readiness: { logPattern: 'ready (' } },
      'readiness.logPattern: expected a regular expression like `listening on port \\d+`, got "ready (" (Invalid regular expression: /ready (/: Unterminated group)',
    ],
    [
      'expectStatus garbage',
      { readiness: { http: { expectStatus: '2xx' } } },
      'readiness.http.expectStatus: expected an HTTP status like 200 or a range like 200-399 (100 to 599), got "2xx"',
    ],
    [
      'expectStatus reversed',
      { readiness: { http: { expectStatus: '399-200' } } },
      'readiness.http.expectStatus: expected an HTTP status like 200 or a range like 200-399 (100 to 599), got "399-200"',
    ],
    [
      'no readiness at all',
      { readiness: { http: false } },
      'readiness: expected a way to tell that an instance is ready: readiness.http, readiness.logPattern or both, got neither (http: false and no logPattern)',
    ],
    [
      'health path without slash',
      { balancer: { healthCheck: { path: 'health' } } },
      'balancer.healthCheck.path: expected a URL path starting with /, like /api/info, got "health"',
    ],
    ['websocketPaths not a list', { balancer: { websocketPaths: '/ws' } }, 'balancer.websocketPaths: expected a list, got "/ws"'],
    [
      'websocketPaths item',
      { balancer: { websocketPaths: ['/ws', 'sockjs'] } },
      'balancer.websocketPaths.1: expected a URL path starting with /, like /api/info, got "sockjs"',
    ],
    ['sticky cookie name', { balancer: { stickyCookie: 'a b' } }, 'balancer.stickyCookie: expected a cookie name like lb-dev-server, or false, got "a b"'],
    ['env not a mapping', { env: ['A=1'] }, 'env: expected a mapping of environment variable names to values, got a list'],
    ['env name', { env: { 'MY-VAR': 'x' } }, 'env.MY-VAR: expected an environment variable name like ROOT_URL (letters, digits, _), got "MY-VAR"'],
    ['env value', { env: { A: { b: 1 } } }, 'env.A: expected a string value (templated with {port} {index} {name} {url}), got a mapping'],
    ['reservePorts', { reservePorts: -1 }, 'reservePorts: expected a whole number from 0 to 16, got -1'],
    ['command not text', { command: 42 }, 'command: expected a command line like `yarn dev`, got 42'],
    [
      'shorthand and groups',
      { instances: 2, groups: { app: { command: 'x' } } },
      'instances: expected group settings either at the top level (one group) or under `groups:`, got both: top-level `instances` next to `groups:`',
    ],
    [
      'groups empty',
      { groups: {} },
      'groups: expected a mapping of group name -> group settings, like `groups: { app: { command: yarn dev } }`, got an empty mapping',
    ],
    [
      'groups a list',
      { groups: [{ command: 'x' }] },
      'groups: expected a mapping of group name -> group settings, like `groups: { app: { command: yarn dev } }`, got a list',
    ],
    [
      'group name',
      { groups: { Web_1: { command: 'x' } } },
      'groups.Web_1: expected a group name of lowercase letters, digits and dashes that starts with a letter (like app or web-2), got "Web_1"',
    ],
    [
      'group without command among others',
      { groups: { web: { command: 'x' }, api: {} } },
      'groups.api: expected a `command:` for group api, like `command: yarn dev`, got none',
    ],
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
      balancer: 1,
      'balancer.port': 2,
      groups: 3,
      'groups.app': 4,
      'groups.app.instances': 5,
      'groups.app.readiness': 6,
      'groups.app.readiness.http': 7,
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

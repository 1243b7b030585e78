import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { configToUserShape, configToYaml } from '../../../../src/core/config/describe.js';
import { CONFIG_DEFAULTS, resolveConfig } from '../../../../src/core/config/schema.js';
import type { LbDevConfig } from '../../../../src/core/config/types.js';

const CWD = '/home/me/project';
const DEMO = 'node demo.js';

function resolve(raw: unknown): LbDevConfig {
  return resolveConfig(raw, { source: `${CWD}/lb-dev.config.yaml`, overrides: {}, cwd: CWD, demoCommand: DEMO });
}

/** Everything but where the config came from, whether the command was the demo's and which keys were written (all, once printed). */
function comparable(config: LbDevConfig): Omit<LbDevConfig, 'source' | 'usingDemoApp' | 'explicit'> {
  const { source: _source, usingDemoApp: _demo, explicit: _explicit, ...rest } = config;
  return rest;
}

describe('configToYaml', () => {
  const configs: Array<[string, unknown]> = [
    ['defaults', {}],
    [
      'everything changed',
      {
        balancer: { port: 4000, stickyCookie: false, healthCheck: false, passiveHealthCheck: false, retry: false, websocketPaths: [] },
        traefik: { mode: 'binary', apiUrl: 'http://127.0.0.1:9000', throttle: 0, confirmTimeout: '1m30s' },
        logs: { maxFileSize: '5MiB', maxFiles: 0 },
        groups: {
          web: { command: 'yarn web', env: { ROOT_URL: '{url}', N: 1 }, readiness: { http: false, logPattern: 'ready: \\d+' } },
          api: { command: 'yarn api', readiness: { http: { expectStatus: 204 } }, restart: { initialDelay: '1.5s', maxDelay: '1h2m' } },
        },
      },
    ],
  ];
  for (const [name, raw] of configs) {
    it(`${name}: the printed YAML resolves to the same config`, () => {
      const config = resolve(raw);
      const again = resolve(parse(configToYaml(config)));
      assert.deepEqual(comparable(again), comparable(config));
    });
  }

  it('prints the defaults in the same shape as CONFIG_DEFAULTS, with absolute paths and the demo command', () => {
    const shape = configToUserShape(resolve({}));
    const expected = JSON.parse(JSON.stringify(CONFIG_DEFAULTS));
    expected.stateDir = `${CWD}/.lb-dev`;
    expected.groups.app.cwd = CWD;
    expected.groups.app.command = DEMO;
    expected.groups.app.restart.resetAfter = '1m'; // 60s prints in its shortest form
    expected.balancer.healthCheck.path = '/'; // null = the readiness path, resolved
    assert.deepEqual(shape, expected);
  });

  it('says where the config came from and marks the demo command', () => {
    const text = configToYaml(resolve({}));
    assert.match(text, /^# lb-dev configuration: \/home\/me\/project\/lb-dev.config.yaml/);
    assert.match(text, /command: node demo.js # the built-in demo app/);
  });

  it('writes durations and sizes as text', () => {
    const text = configToYaml(resolve({ logs: { maxFileSize: '10MB' }, stopGracePeriod: 2500 }));
    assert.match(text, /maxFileSize: 10MB/);
    assert.match(text, /stopGracePeriod: 2.5s/);
    assert.match(text, /expectStatus: 200-399/);
  });
});

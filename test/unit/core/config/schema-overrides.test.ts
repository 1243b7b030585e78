// resolveConfig (src/core/config/schema.ts): command-line overrides on top of the file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigOverrides } from '../../../../src/core/config/types.js';
import { CWD, resolve, problems } from './resolve-config.js';

describe('resolveConfig: overrides', () => {
  it('flags override the file: instances and command on the first group, port, host, traefik, stateDir', () => {
    const config = resolve(
      {
        stateDir: 'from-file',
        balancer: { port: 4000, host: '0.0.0.0' },
        traefik: { mode: 'docker' },
        groups: { web: { command: 'a', instances: 2 }, api: { command: 'b', instances: 2 } },
      },
      { instances: 7, command: 'yarn other', port: 5000, host: '127.0.0.2', traefik: 'binary', stateDir: 'flag-dir' },
    );
    assert.deepEqual(
      config.groups.map((g) => [g.name, g.command, g.instances]),
      [
        ['web', 'yarn other', 7],
        ['api', 'b', 2],
      ],
    );
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

describe('resolveConfig: port flags and instancePorts', () => {
  it('--api-port, --dashboard-port and --metrics-port set the keys and count as written', () => {
    const config = resolve({ traefik: { apiPort: 9000 } }, { apiPort: 9100, dashboardPort: 9101, metricsPort: 9102 });
    assert.equal(config.traefik.apiPort, 9100);
    assert.equal(config.dashboard.port, 9101);
    assert.equal(config.metrics.port, 9102);
    assert.equal(config.explicit.traefikApiPort, true);
    assert.equal(config.explicit.dashboardPort, true);
    assert.equal(resolve({}, {}).explicit.traefikApiPort, false);
  });

  it('a port flag is checked like the key, and must differ from the balancer port', () => {
    assert.match(problems({}, { apiPort: 70_000 }).details.join('\n'), /--api-port/);
    assert.match(problems({}, { dashboardPort: 3000 }).details.join('\n'), /dashboard\.port|dashboard/);
  });

  it('instancePorts: 20000-29999, checked', () => {
    assert.deepEqual(resolve({ instancePorts: '20000-29999' }).instancePorts, { first: 20_000, last: 29_999 });
    assert.equal(resolve({}).instancePorts, null);
    for (const bad of ['20000', '29999-20000', '80-1000', '20000-20005', 20_000, '60000-70000']) {
      assert.match(problems({ instancePorts: bad }).details.join('\n'), /a port range like 20000-29999/, String(bad));
    }
  });
});

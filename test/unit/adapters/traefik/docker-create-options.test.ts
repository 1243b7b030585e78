// The core's plain ContainerSpec becomes the engine's create options in the adapter only. The
// first tests pin the options lb-dev has always sent; the last one has a real engine create (not
// start) the container and reads back what it stored. That one needs Docker and the Traefik
// image: skipped without them, required with LB_DEV_E2E_REQUIRED=1.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ContainerSpec } from '../../../../src/core/container.js';
import { buildPrometheusContainerSpec } from '../../../../src/core/monitoring/prometheus.js';
import { buildContainerSpec, type ContainerSpecOptions } from '../../../../src/core/traefik/container-spec.js';
import { connectDocker, createOptions } from '../../../../src/adapters/traefik/docker.js';
import { e2eGate, traefikImage } from '../../../helpers/e2e-gate.js';

const traefik: ContainerSpecOptions = {
  image: 'traefik:v3.6',
  name: 'lb-dev-traefik-abc',
  labels: { 'dev.lb-dev.managed': 'true', 'dev.lb-dev.state-dir': '/p/.lb-dev' },
  network: 'host',
  configDirHost: '/p/.lb-dev/traefik',
  containerConfigDir: '/etc/lb-dev',
  balancerPort: 3000,
  apiPort: 8089,
  bindHost: '127.0.0.1',
};

describe('createOptions', () => {
  it('Traefik on the host network: no ports, no extra hosts, the directory bound, no restart policy', () => {
    assert.deepEqual(createOptions(buildContainerSpec(traefik)), {
      name: 'lb-dev-traefik-abc',
      Image: 'traefik:v3.6',
      Cmd: ['--configFile=/etc/lb-dev/static.yaml'],
      Labels: { 'dev.lb-dev.managed': 'true', 'dev.lb-dev.state-dir': '/p/.lb-dev' },
      Tty: false,
      AttachStdin: false,
      OpenStdin: false,
      HostConfig: { NetworkMode: 'host', Binds: ['/p/.lb-dev/traefik:/etc/lb-dev'], RestartPolicy: { Name: 'no' } },
    });
  });

  it('Traefik behind a bridge: both ports exposed and published on the bind host, host.docker.internal mapped', () => {
    const options = createOptions(buildContainerSpec({ ...traefik, network: 'bridge', user: '1000:1000' }));
    assert.equal(options.User, '1000:1000');
    assert.deepEqual(options.ExposedPorts, { '3000/tcp': {}, '8089/tcp': {} });
    assert.deepEqual(options.HostConfig, {
      NetworkMode: 'bridge',
      Binds: ['/p/.lb-dev/traefik:/etc/lb-dev'],
      RestartPolicy: { Name: 'no' },
      PortBindings: {
        '3000/tcp': [{ HostIp: '127.0.0.1', HostPort: '3000' }],
        '8089/tcp': [{ HostIp: '127.0.0.1', HostPort: '8089' }],
      },
      ExtraHosts: ['host.docker.internal:host-gateway'],
    });
  });

  it('Prometheus behind a bridge: its port published on loopback', () => {
    const options = createOptions(
      buildPrometheusContainerSpec({ image: 'p:1', name: 'n', labels: {}, network: 'bridge', dirHost: '/s/p', containerDir: '/prometheus', port: 9999 }),
    );
    assert.deepEqual(options.ExposedPorts, { '9999/tcp': {} });
    assert.deepEqual(options.HostConfig?.PortBindings, { '9999/tcp': [{ HostIp: '127.0.0.1', HostPort: '9999' }] });
    assert.deepEqual(options.HostConfig?.Binds, ['/s/p:/prometheus']);
    assert.equal('User' in options, false);
  });

  it('environment as KEY=value lines, left out when the spec has none', () => {
    const spec: ContainerSpec = { ...buildContainerSpec(traefik), env: { A: '1', B: 'x=y' } };
    assert.deepEqual(createOptions(spec).Env, ['A=1', 'B=x=y']);
    assert.equal('Env' in createOptions(buildContainerSpec(traefik)), false);
  });

  it("copies, never shares, the spec's lists and maps", () => {
    const spec = buildContainerSpec(traefik);
    const options = createOptions(spec);
    assert.notEqual(options.Cmd, spec.cmd);
    assert.notEqual(options.Labels, spec.labels);
  });
});

const gate = await e2eGate();
const removals: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const remove of removals) await remove();
});

it('a real engine stores what the spec says (created, never started)', { skip: gate.skip || false }, async () => {
  const engine = await connectDocker();
  const name = `lb-dev-create-options-${process.pid}`;
  const spec: ContainerSpec = {
    ...buildContainerSpec({ ...traefik, image: traefikImage(), name, network: 'bridge', balancerPort: 39_001, apiPort: 39_002, user: '1234:1234' }),
    labels: { 'dev.lb-dev.test': name },
    env: { LB_DEV_PROBE: 'on' },
  };
  const container = await engine.docker.createContainer(createOptions(spec));
  removals.push(() => container.remove({ force: true }).catch(() => undefined));
  const info = await container.inspect();
  assert.equal(info.Name, `/${name}`);
  assert.deepEqual(info.Args, ['--configFile=/etc/lb-dev/static.yaml']);
  assert.equal(info.Config.User, '1234:1234');
  assert.ok(info.Config.Env.includes('LB_DEV_PROBE=on'), info.Config.Env.join(' '));
  assert.equal(info.Config.Labels['dev.lb-dev.test'], name);
  assert.equal(info.HostConfig.NetworkMode, 'bridge');
  assert.deepEqual(info.HostConfig.Binds, ['/p/.lb-dev/traefik:/etc/lb-dev']);
  assert.deepEqual(info.HostConfig.ExtraHosts, ['host.docker.internal:host-gateway']);
  assert.deepEqual(info.HostConfig.PortBindings, {
    '39001/tcp': [{ HostIp: '127.0.0.1', HostPort: '39001' }],
    '39002/tcp': [{ HostIp: '127.0.0.1', HostPort: '39002' }],
  });
  assert.equal(info.HostConfig.RestartPolicy?.Name, 'no');
});

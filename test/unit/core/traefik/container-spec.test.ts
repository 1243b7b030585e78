import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  backendHostFor,
  buildContainerSpec,
  chooseNetworkMode,
  containerListenHost,
  type ContainerSpecOptions,
  type EngineFacts,
} from '../../../../src/core/traefik/container-spec.js';

const base: ContainerSpecOptions = {
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

describe('buildContainerSpec', () => {
  it('host network: no published ports, the config directory mounted', () => {
    assert.deepEqual(buildContainerSpec(base), {
      name: 'lb-dev-traefik-abc',
      image: 'traefik:v3.6',
      cmd: ['--configFile=/etc/lb-dev/static.yaml'],
      labels: { 'dev.lb-dev.managed': 'true', 'dev.lb-dev.state-dir': '/p/.lb-dev' },
      network: 'host',
      binds: [{ hostPath: '/p/.lb-dev/traefik', containerPath: '/etc/lb-dev' }],
      ports: [],
      extraHosts: [],
    });
  });

  it('bridge: publishes both ports on the bind host and maps host.docker.internal', () => {
    const spec = buildContainerSpec({ ...base, network: 'bridge' });
    assert.equal(spec.network, 'bridge');
    assert.deepEqual(spec.binds, [{ hostPath: '/p/.lb-dev/traefik', containerPath: '/etc/lb-dev' }]);
    assert.deepEqual(spec.ports, [
      { containerPort: 3000, hostIp: '127.0.0.1', hostPort: 3000 },
      { containerPort: 8089, hostIp: '127.0.0.1', hostPort: 8089 },
    ]);
    assert.deepEqual(spec.extraHosts, [{ name: 'host.docker.internal', address: 'host-gateway' }]);
  });

  const table: Array<{ name: string; opts: Partial<ContainerSpecOptions>; check: (spec: ReturnType<typeof buildContainerSpec>) => void }> = [
    {
      name: 'trailing slash in the container dir',
      opts: { containerConfigDir: '/etc/lb-dev/' },
      check: (s) => assert.deepEqual(s.cmd, ['--configFile=/etc/lb-dev/static.yaml']),
    },
    { name: 'runs as the given user', opts: { user: '1000:1000' }, check: (s) => assert.equal(s.user, '1000:1000') },
    { name: 'no user by default', opts: {}, check: (s) => assert.equal('user' in s, false) },
    { name: 'labels are copied, not shared', opts: {}, check: (s) => assert.notEqual(s.labels, base.labels) },
  ];
  for (const row of table) it(row.name, () => row.check(buildContainerSpec({ ...base, ...row.opts })));

  it('rejects a relative container dir', () => {
    assert.throws(() => buildContainerSpec({ ...base, containerConfigDir: 'etc' }), /absolute containerConfigDir, got "etc"/);
  });
  it('rejects a bad port in bridge mode', () => {
    assert.throws(() => buildContainerSpec({ ...base, network: 'bridge', apiPort: 70000 }), /got 70000/);
  });
});

describe('chooseNetworkMode', () => {
  const linuxEngine: EngineFacts = { operatingSystem: 'Debian GNU/Linux 12 (bookworm)', osType: 'linux', platform: 'linux' };
  const desktop: EngineFacts = { operatingSystem: 'Docker Desktop', osType: 'linux', platform: 'darwin' };
  const table: Array<[string, 'auto' | 'host' | 'bridge', EngineFacts, 'host' | 'bridge']> = [
    ['auto on native Linux -> host', 'auto', linuxEngine, 'host'],
    ['auto on Docker Desktop for Mac -> bridge', 'auto', desktop, 'bridge'],
    ['auto on Docker Desktop for Linux -> bridge', 'auto', { ...desktop, platform: 'linux' }, 'bridge'],
    ['auto on a Linux VM engine reached from macOS (Colima) -> bridge', 'auto', { ...linuxEngine, platform: 'darwin' }, 'bridge'],
    ['auto on Windows -> bridge', 'auto', { operatingSystem: 'Windows Server 2022', osType: 'windows', platform: 'win32' }, 'bridge'],
    ['explicit host wins', 'host', desktop, 'host'],
    ['explicit bridge wins', 'bridge', linuxEngine, 'bridge'],
  ];
  for (const [name, requested, engine, expected] of table) {
    it(name, () => assert.equal(chooseNetworkMode(requested, engine), expected));
  }
});

describe('network helpers', () => {
  it('backend host', () => {
    assert.equal(backendHostFor('host'), '127.0.0.1');
    assert.equal(backendHostFor('bridge'), 'host.docker.internal');
  });
  it('listen host inside the container', () => {
    assert.equal(containerListenHost('host', '127.0.0.1'), '127.0.0.1');
    assert.equal(containerListenHost('bridge', '127.0.0.1'), '0.0.0.0');
  });
});

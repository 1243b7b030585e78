import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TraefikApi } from '../../../../src/adapters/traefik/api-client.js';
import { FakeTraefik } from '../../../helpers/fake-traefik.js';

describe('TraefikApi', () => {
  const fake = new FakeTraefik();
  before(() => fake.start());
  after(() => fake.stop());

  it('ping: true on 200, false otherwise and when nothing listens', async () => {
    const api = new TraefikApi(`${fake.url}/`);
    fake.pingStatus = 200;
    assert.equal(await api.ping(), true);
    fake.pingStatus = 503;
    assert.equal(await api.ping(), false);
    fake.pingStatus = 200;
    assert.equal(await new TraefikApi('http://127.0.0.1:1', 300).ping(), false);
  });

  it('service: parses servers (sorted), status and serverStatus; null on 404', async () => {
    const api = new TraefikApi(fake.url);
    fake.servers = ['http://127.0.0.1:4002', 'http://127.0.0.1:4001'];
    assert.deepEqual(await api.service('lb-dev'), {
      servers: ['http://127.0.0.1:4001', 'http://127.0.0.1:4002'],
      serverStatus: { 'http://127.0.0.1:4002': 'UP', 'http://127.0.0.1:4001': 'UP' },
      status: 'enabled',
      error: [],
    });
    fake.servers = [];
    assert.deepEqual((await api.service('lb-dev'))?.servers, []);
    fake.servers = null;
    assert.equal(await api.service('lb-dev'), null);
  });

  it('service: throws on an unexpected status, saying what it expected', async () => {
    fake.serviceStatus = 500;
    try {
      await assert.rejects(new TraefikApi(fake.url).service('lb-dev'), /expected 200 or 404, got 500/);
    } finally {
      fake.serviceStatus = 200;
    }
  });

  it('version', async () => {
    assert.equal(await new TraefikApi(fake.url).version(), '3.6.25');
    assert.equal(await new TraefikApi('http://127.0.0.1:1', 300).version(), null);
  });

  const waits: Array<{ name: string; servers: string[] | null; expected: string[]; ok: boolean; lastSeen: string[] | null }> = [
    {
      name: 'same servers in another order',
      servers: ['http://h:2', 'http://h:1'],
      expected: ['http://h:1', 'http://h:2'],
      ok: true,
      lastSeen: ['http://h:1', 'http://h:2'],
    },
    { name: 'trailing slash ignored', servers: ['http://h:1/'], expected: ['http://h:1'], ok: true, lastSeen: ['http://h:1/'] },
    { name: 'empty expected: service with no servers', servers: [], expected: [], ok: true, lastSeen: [] },
    { name: 'empty expected: service absent', servers: null, expected: [], ok: true, lastSeen: null },
    { name: 'non-empty expected: service absent is not ok', servers: null, expected: ['http://h:1'], ok: false, lastSeen: null },
    { name: 'one server too many', servers: ['http://h:1', 'http://h:2'], expected: ['http://h:1'], ok: false, lastSeen: ['http://h:1', 'http://h:2'] },
  ];
  for (const row of waits) {
    it(`waitForServers: ${row.name}`, async () => {
      fake.servers = row.servers;
      const result = await new TraefikApi(fake.url).waitForServers('lb-dev', row.expected, 120);
      assert.equal(result.ok, row.ok);
      assert.deepEqual(result.lastSeen, row.lastSeen);
      if (!row.ok) assert.ok(result.elapsedMs >= 120);
    });
  }

  it('waitForServers: succeeds once the servers appear', async () => {
    fake.servers = null;
    setTimeout(() => (fake.servers = ['http://h:1']), 100);
    const result = await new TraefikApi(fake.url).waitForServers('lb-dev', ['http://h:1'], 2000);
    assert.equal(result.ok, true);
    assert.ok(result.elapsedMs >= 75 && result.elapsedMs < 1000, `elapsed ${result.elapsedMs}`);
  });

  it('waitForServers: keeps polling while nothing listens, then times out', async () => {
    const result = await new TraefikApi('http://127.0.0.1:1', 50).waitForServers('lb-dev', ['http://h:1'], 150);
    assert.deepEqual({ ok: result.ok, lastSeen: result.lastSeen }, { ok: false, lastSeen: null });
  });

  it('waitForServers: gives up at once when its signal fires (a newer change superseded the wait)', async () => {
    fake.servers = null;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await new TraefikApi(fake.url).waitForServers('lb-dev', ['http://h:1'], 5_000, controller.signal);
    assert.deepEqual({ ok: result.ok, aborted: result.aborted }, { ok: false, aborted: true });
    assert.ok(result.elapsedMs < 1_000, `elapsed ${result.elapsedMs}`);
  });

  it('waitForServers: reports the service errors Traefik shows', async () => {
    fake.servers = ['http://h:2'];
    fake.errors = ['bad server'];
    try {
      const result = await new TraefikApi(fake.url).waitForServers('lb-dev', ['http://h:1'], 60);
      assert.deepEqual({ ok: result.ok, errors: result.errors }, { ok: false, errors: ['bad server'] });
    } finally {
      fake.errors = [];
    }
  });
});

// The route reconciler (src/app/routes/route-reconciler.ts) writing a real dynamic config file and
// confirming it against a stand-in for Traefik's API on 127.0.0.1: what it writes, when, and what it says.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { TraefikApi } from '../../../../src/adapters/traefik/api-client.js';
import { DynamicConfigWriter } from '../../../../src/adapters/traefik/config-writer.js';
import type { RouteCause, RouteEvents } from '../../../../src/app/routes/route-events.js';
import { RouteReconciler } from '../../../../src/app/routes/route-reconciler.js';
import { resolveConfig } from '../../../../src/core/config/schema.js';
import type { RouteServer } from '../../../../src/core/traefik/dynamic-config.js';
import { FakeTraefik } from '../../../helpers/fake-traefik.js';

const balancer = resolveConfig({}, { source: null, overrides: {}, cwd: process.cwd(), demoCommand: 'node -e 0' }).balancer;
const url = (port: number) => `http://127.0.0.1:${port}`;

describe('RouteReconciler', () => {
  const fake = new FakeTraefik();
  before(() => fake.start());
  after(() => fake.stop());

  let root: string;
  let servers: RouteServer[];
  let seen: string[];
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'lbdt-routes-'));
    servers = [];
    seen = [];
    fake.servers = null;
    fake.requests = [];
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  function routeSync(confirmTimeoutMs = 2_000, api: TraefikApi | null = new TraefikApi(fake.url)) {
    const writer = new DynamicConfigWriter({ dir: join(root, 'dynamic'), fileName: 'lb-dev.yaml', tmpDir: join(root, 'tmp') });
    // touchAfterMs = the timeout: these tests are about one write and its confirmation (route-reconciler-heal.test.ts: the touches).
    const routes = new RouteReconciler({
      serviceName: 'lb-dev',
      entryPoint: 'web',
      backendHost: '127.0.0.1',
      balancer,
      defaultCertificate: true,
      writer,
      api,
      confirmTimeoutMs,
      touchAfterMs: confirmTimeoutMs,
    });
    const names = (list: RouteServer[]) => list.map((s) => s.name).join(',');
    const record: Omit<RouteEvents, 'touched'> = {
      written: (list) => seen.push(`written ${names(list)}`),
      confirmed: (list) => seen.push(`confirmed ${names(list)}`),
      notConfirmed: (list) => seen.push(`notConfirmed ${names(list)}`),
      failed: (error) => seen.push(`failed ${error.message}`),
    };
    routes.observe(record);
    /** What the supervisor does: push the servers that take traffic now. */
    const push = (cause: RouteCause = 'joined', exitedAt?: number) =>
      routes.push({ servers, cause, instance: 'app-x', at: exitedAt ?? Date.now(), exited: exitedAt !== undefined });
    return { routes, writer, push };
  }

  it('writes the snapshot atomically and confirms it once Traefik shows exactly those servers', async () => {
    const { routes, writer, push } = routeSync();
    servers = [
      { name: 'app-1', port: 4001 },
      { name: 'app-2', port: 4002 },
    ];
    push();
    // Traefik shows the servers only after it answered two polls without them.
    routes.observe({
      written: () => {
        const polled = fake.requests.length;
        const wait = setInterval(() => {
          if (fake.requests.length < polled + 2) return;
          clearInterval(wait);
          fake.servers = [url(4002), url(4001)];
        }, 5);
      },
    });
    const status = await routes.flush();
    assert.deepEqual(seen, ['written app-1,app-2', 'confirmed app-1,app-2']);
    assert.equal(status.confirmed, true);
    assert.deepEqual(status.written, ['app-1', 'app-2']);
    assert.equal(status.writes, 1);
    assert.ok(status.confirmMs !== null && status.confirmMs > 0, `confirmMs ${status.confirmMs}`);
    assert.ok(fake.requests.length >= 3, `polled until Traefik showed them (${fake.requests.length} requests)`);
    const file = await readFile(writer.path, 'utf8');
    assert.match(file, /127\.0\.0\.1:4001/);
    assert.match(file, /127\.0\.0\.1:4002/);
  });

  it('a newer change supersedes the wait for an older one: only the latest is confirmed', async () => {
    const { routes, push } = routeSync(5_000);
    fake.servers = [url(4002)];
    servers = [{ name: 'app-1', port: 4001 }];
    const began = Date.now();
    const firstWritten = new Promise<void>((resolve) => routes.observe({ written: () => resolve() }));
    push();
    await firstWritten;
    servers = [{ name: 'app-2', port: 4002 }];
    push();
    const status = await routes.flush();
    assert.deepEqual(seen, ['written app-1', 'written app-2', 'confirmed app-2']);
    assert.equal(status.confirmed, true);
    assert.ok(Date.now() - began < 2_000, `the first wait was cut short, not run to its 5s timeout (${Date.now() - began}ms)`);
  });

  it('not confirmed within the timeout: says what it expected and what Traefik showed', async () => {
    const { routes, push } = routeSync(150);
    fake.servers = [url(4009)];
    servers = [{ name: 'app-1', port: 4001 }];
    push();
    const status = await routes.flush();
    assert.deepEqual(seen, ['written app-1', 'notConfirmed app-1']);
    assert.equal(status.confirmed, false);
    assert.match(
      status.problem ?? '',
      /did not show the written servers within 150ms \(expected \["http:\/\/127\.0\.0\.1:4001"\], saw \["http:\/\/127\.0\.0\.1:4009"\]\)/,
    );
    // Unchanged but unconfirmed: the next flush asks Traefik again (writing the same file again) instead of skipping.
    fake.servers = [url(4001)];
    assert.equal((await routes.flush()).confirmed, true);
    assert.equal(status.writes, 1);
  });

  it('a failure is written before push returns (a leaving server does not wait for the tick), then the loop confirms', async () => {
    const { routes, writer, push } = routeSync();
    servers = [
      { name: 'app-1', port: 4001 },
      { name: 'app-2', port: 4002 },
    ];
    fake.servers = [url(4001), url(4002)];
    push();
    await routes.flush();
    servers = [{ name: 'app-2', port: 4002 }];
    fake.servers = [url(4002)];
    push('failed');
    assert.equal(routes.status.writes, 2, 'written synchronously');
    assert.doesNotMatch(await readFile(writer.path, 'utf8'), /:4001/);
    const status = await routes.flush();
    assert.deepEqual(seen, ['written app-1,app-2', 'confirmed app-1,app-2', 'written app-2', 'confirmed app-2']);
    assert.equal(status.writes, 2);
  });

  it('an unchanged render is skipped: no write, no question to Traefik', async () => {
    const { routes, push } = routeSync();
    servers = [{ name: 'app-1', port: 4001 }];
    fake.servers = [url(4001)];
    push();
    await routes.flush();
    push(); // the same servers again
    const asked = fake.requests.length;
    const status = await routes.flush();
    assert.equal(status.writes, 1);
    assert.equal(fake.requests.length, asked);
    assert.deepEqual(seen, ['written app-1', 'confirmed app-1']);
  });

  it('writeUnconfirmed writes without asking Traefik; after close() nothing is written', async () => {
    const { routes, writer, push } = routeSync();
    await routes.writeUnconfirmed();
    assert.deepEqual(seen, ['written ']);
    assert.equal(routes.status.confirmed, null);
    assert.equal(fake.requests.length, 0);
    assert.match(await readFile(writer.path, 'utf8'), /lb-dev/);
    routes.close();
    servers = [{ name: 'app-1', port: 4001 }];
    push();
    assert.equal((await routes.flush()).writes, 1);
    assert.deepEqual(seen, ['written ']);
  });

  it('without an API (external Traefik, no apiUrl) it writes and leaves the change unconfirmed', async () => {
    const { routes, push } = routeSync(2_000, null);
    servers = [{ name: 'app-1', port: 4001 }];
    push();
    const status = await routes.flush();
    assert.deepEqual({ confirmed: status.confirmed, written: status.written }, { confirmed: null, written: ['app-1'] });
    assert.equal(fake.requests.length, 0);
  });
});

// The route reconciler healing itself, with real files and a stand-in Traefik that reads them on
// inotify events: a dropped file event is healed by writing the file again (a touch), a write that
// fails (the watched directory replaced by a regular file: ENOTDIR, which root cannot bypass) is
// retried and shown in status until it heals, and exits are timed from what the supervisor pushed.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { TraefikApi } from '../../../../src/adapters/traefik/api-client.js';
import { DynamicConfigWriter } from '../../../../src/adapters/traefik/config-writer.js';
import type { ExitTiming, RouteEvents } from '../../../../src/app/routes/route-events.js';
import { RouteReconciler } from '../../../../src/app/routes/route-reconciler.js';
import { resolveConfig } from '../../../../src/core/config/schema.js';
import type { RouteServer } from '../../../../src/core/traefik/dynamic-config.js';
import { FakeTraefik } from '../../../helpers/fake-traefik.js';

const balancer = resolveConfig({}, { source: null, overrides: {}, cwd: process.cwd(), demoCommand: 'node -e 0' }).balancer;
const url = (port: number) => `http://127.0.0.1:${port}`;
const app1: RouteServer[] = [{ name: 'app-1', port: 4001 }];

/** Resolves with the arguments of the next `event` of `routes`. */
function next<K extends keyof RouteEvents>(routes: RouteReconciler, event: K): Promise<Parameters<RouteEvents[K]>> {
  return new Promise((resolve) => {
    const off = routes.observe({
      [event]: (...args: Parameters<RouteEvents[K]>) => {
        off();
        resolve(args);
      },
    } as Partial<RouteEvents>);
  });
}

describe('RouteReconciler heals', () => {
  const fake = new FakeTraefik();
  before(() => fake.start());
  after(() => fake.stop());

  let root: string;
  let dir: string;
  let routes: RouteReconciler;
  let writer: DynamicConfigWriter;
  let seen: string[];
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'lbdt-heal-'));
    dir = join(root, 'dynamic');
    fake.servers = null;
    fake.dropEvents = 0;
    seen = [];
    writer = new DynamicConfigWriter({ dir, fileName: 'lb-dev.yaml', tmpDir: join(root, 'tmp') });
    routes = new RouteReconciler({
      serviceName: 'lb-dev',
      entryPoint: 'web',
      backendHost: '127.0.0.1',
      balancer,
      defaultCertificate: true,
      writer,
      api: new TraefikApi(fake.url),
      confirmTimeoutMs: 3_000,
      touchAfterMs: 150,
      retry: { initialDelayMs: 20, maxDelayMs: 200 },
    });
    routes.observe({
      written: (servers) => seen.push(`written ${servers.map((s) => s.name)}`),
      touched: (_servers, attempt) => seen.push(`touched ${attempt}`),
      confirmed: () => seen.push('confirmed'),
      notConfirmed: () => seen.push('notConfirmed'),
      failed: () => seen.push('failed'),
    });
  });
  afterEach(async () => {
    routes.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a dropped file event: Traefik never reads the first write; the touch gives it a fresh event and it confirms', async () => {
    await mkdir(dir, { recursive: true });
    fake.follow(writer.path);
    fake.dropEvents = 1;
    routes.push({ servers: app1, cause: 'joined', instance: 'app-1', at: Date.now() });
    const status = await routes.flush();
    assert.equal(fake.dropped, 1, 'the first write event was dropped');
    assert.deepEqual(fake.servers, [url(4001)], 'Traefik read the touched file');
    assert.equal(status.confirmed, true);
    assert.equal(status.problem, null);
    assert.equal(status.writes, 1, 'one write of new content');
    assert.ok((status.touches ?? 0) >= 1, `touches: ${status.touches}`);
    assert.deepEqual(seen, ['written app-1', 'touched 1', 'confirmed']);
    assert.ok(status.confirmMs !== null && status.confirmMs >= 150, `confirmMs counts from the first write: ${status.confirmMs}`);
  });

  it('resync writes the file again even when it is unchanged and confirmed (Traefik restarted)', async () => {
    await mkdir(dir, { recursive: true });
    fake.follow(writer.path);
    routes.push({ servers: app1, cause: 'joined', instance: 'app-1', at: Date.now() });
    assert.equal((await routes.flush()).confirmed, true);
    const inode = (await stat(writer.path)).ino;
    const reads = fake.reads;
    const status = await routes.resync();
    assert.equal(status.confirmed, true);
    assert.notEqual((await stat(writer.path)).ino, inode, 'a new file by rename');
    assert.ok(fake.reads > reads, 'Traefik got an event and read it again');
  });

  it('a failed write is retried with backoff, shown in status with its start, and heals once the directory is usable', { timeout: 10_000 }, async () => {
    await writeFile(dir, 'not a directory\n'); // the watched directory replaced by a regular file
    fake.servers = [url(4001)];
    routes.push({ servers: app1, cause: 'joined', instance: 'app-1', at: Date.now() });
    const status = await routes.flush();
    const problem = status.problem ?? '';
    assert.match(problem, /^routes not written: could not (write|read) Traefik's dynamic config .*ENOTDIR.* since \d{4}-\d\d-\d\dT[\d:.]+Z$/, problem);
    assert.deepEqual({ writes: status.writes, confirmed: status.confirmed }, { writes: 0, confirmed: false }, 'not live: `lb-dev status` shows the problem');
    // Retried on its own; the problem keeps the time it started.
    await next(routes, 'failed');
    await next(routes, 'failed');
    assert.equal(status.problem?.slice(-24), problem.slice(-24), 'since: the first failure');
    const healed = next(routes, 'confirmed');
    await rm(dir, { force: true });
    await healed;
    assert.deepEqual({ problem: status.problem, confirmed: status.confirmed, written: status.written }, { problem: null, confirmed: true, written: ['app-1'] });
    assert.ok(seen.filter((s) => s === 'failed').length >= 3, seen.join(', '));
  });

  it('not confirmed within the timeout: status says so and since when; the touches go on and clear it when Traefik shows the servers', {
    timeout: 10_000,
  }, async () => {
    const quick = new RouteReconciler({
      serviceName: 'lb-dev',
      entryPoint: 'web',
      backendHost: '127.0.0.1',
      balancer,
      defaultCertificate: true,
      writer,
      api: new TraefikApi(fake.url),
      confirmTimeoutMs: 200,
      touchAfterMs: 50,
      retry: { initialDelayMs: 20, maxDelayMs: 100 },
    });
    fake.servers = [url(4009)];
    quick.push({ servers: app1, cause: 'joined', instance: 'app-1', at: Date.now() });
    const status = await quick.flush();
    assert.match(
      status.problem ?? '',
      /^routes not confirmed: Traefik's API did not show the written servers within 200ms .*saw \["http:\/\/127\.0\.0\.1:4009"\]\) since \d{4}-/,
    );
    assert.equal(status.confirmed, false);
    await next(quick, 'touched');
    const healed = next(quick, 'confirmed');
    fake.servers = [url(4001)];
    await healed; // no flush: the reconciler heals on its own
    assert.deepEqual({ problem: status.problem, confirmed: status.confirmed }, { problem: null, confirmed: true });
    quick.close();
  });

  it('times an exit from the pushed time: on the write it caused (once) and on its confirmation', async () => {
    fake.servers = [];
    const exits: ExitTiming[][] = [];
    routes.observe({ written: (_s, _p, reflected) => exits.push(reflected), confirmed: (_s, _ms, reflected) => exits.push(reflected) });
    routes.push({ servers: app1, cause: 'joined', instance: 'app-1', at: Date.now() });
    fake.servers = [url(4001)];
    await routes.flush();
    const exitedAt = Date.now() - 40;
    fake.servers = [];
    routes.push({ servers: [], cause: 'failed', instance: 'app-1', at: exitedAt, exited: true });
    assert.deepEqual(seen.slice(-1), ['written '], 'written before push returned');
    await routes.flush();
    routes.push({ servers: app1, cause: 'joined', instance: 'app-1', at: Date.now() });
    fake.servers = [url(4001)];
    await routes.flush();
    const [, , written, confirmed, again] = exits;
    assert.deepEqual(
      written?.map((e) => [e.name, e.at]),
      [['app-1', exitedAt]],
    );
    assert.ok(written![0]!.ms >= 40 && written![0]!.ms < 1_000, `exit -> written ${written![0]!.ms}ms`);
    assert.ok(confirmed![0]!.ms >= written![0]!.ms, `exit -> confirmed ${confirmed![0]!.ms}ms`);
    assert.deepEqual(again, [], 'the return carries no exit');
  });
});

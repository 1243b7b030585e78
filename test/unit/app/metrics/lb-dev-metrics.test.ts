// lb-dev's metrics over HTTP, fed by real events: child processes that crash (a SIGKILL and
// an exit code), restarts, readiness, route writes confirmed by a stand-in Traefik API,
// requests counted from an access log file, and requests on a real control socket.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PortAllocator } from '../../../../src/adapters/ports.js';
import { AccessLogCounter } from '../../../../src/adapters/traefik/access-log-counter.js';
import { TraefikApi } from '../../../../src/adapters/traefik/api-client.js';
import { DynamicConfigWriter } from '../../../../src/adapters/traefik/config-writer.js';
import { LbDevMetrics } from '../../../../src/app/metrics/lb-dev-metrics.js';
import { startMetricsEndpoint } from '../../../../src/app/metrics/metrics-endpoint.js';
import { RouteReconciler } from '../../../../src/app/routes/route-reconciler.js';
import { Supervisor } from '../../../../src/app/supervisor.js';
import { ControlClient } from '../../../../src/control/client.js';
import { ControlServer } from '../../../../src/control/server.js';
import { METRICS } from '../../../../src/core/metrics/catalog.js';
import { resolveConfig } from '../../../../src/core/config/schema.js';
import { serverUrl } from '../../../../src/core/traefik/dynamic-config.js';
import { LbDevError } from '../../../../src/core/errors.js';
import { FakeTraefik } from '../../../helpers/fake-traefik.js';
import { ROOT, killHard, markedProcesses, nodeFixture } from '../../../helpers/lb-dev/index.js';
import { parseExposition, typesOf, seriesValue } from '../../../helpers/prometheus-text.js';
import { until } from '../../../helpers/supervisor.js';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test('the metrics endpoint serves instance, route, request and control series after real crashes', async () => {
  const marker = `/lb-dev-metrics-test/${randomUUID()}`;
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-metrics-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  cleanups.push(() => {
    for (const pid of markedProcesses(marker)) killHard(pid);
  });
  const fast = { readiness: { http: { interval: '50ms', timeout: '500ms' } }, stopGracePeriod: '500ms' };
  const config = resolveConfig(
    {
      groups: {
        app: { command: nodeFixture('http-ok.mjs'), instances: 2, ...fast, restart: { initialDelay: '100ms' } },
        // Listens, is ready, then exits with code 1: left down (restart off), so counts are exact.
        crashy: { command: nodeFixture('crash-after.mjs'), instances: 1, env: { CRASH_AFTER: '700' }, ...fast, restart: { enabled: false } },
      },
    },
    { source: null, overrides: {}, cwd: ROOT, demoCommand: 'node -e 0' },
  );

  // A stand-in Traefik API that shows whatever was written: every route write gets confirmed.
  const traefik = new FakeTraefik();
  await traefik.start();
  cleanups.push(() => traefik.stop());
  const ports = new PortAllocator('127.0.0.1');
  const accessLog = join(dir, 'access.log');
  const requests = new AccessLogCounter(accessLog);
  const routes = new RouteReconciler({
    serviceName: 'lb-dev',
    entryPoint: 'web',
    backendHost: '127.0.0.1',
    balancer: config.balancer,
    defaultCertificate: true,
    writer: new DynamicConfigWriter({ dir: join(dir, 'dynamic'), fileName: 'lb-dev.yaml', tmpDir: join(dir, 'tmp') }),
    api: new TraefikApi(traefik.url),
    confirmTimeoutMs: 5_000,
  });
  const supervisor = new Supervisor({
    config,
    ports,
    logs: { append: () => undefined, event: () => undefined },
    balancerUrl: 'http://127.0.0.1:1',
    baseEnv: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', LB_DEV_STATE_DIR: marker },
    routes,
  });
  cleanups.push(() => supervisor.stopAll());
  supervisor.routes.observe({
    written: (servers) => {
      traefik.servers = servers.map((s) => serverUrl('127.0.0.1', s.port));
    },
  });

  const metrics = new LbDevMetrics({
    instances: () => supervisor.status(),
    requests: () => requests,
    backendUrl: (port) => serverUrl('127.0.0.1', port),
  });
  metrics.watchInstances(supervisor);
  metrics.watchRoutes(supervisor.routes);
  const endpoint = await startMetricsEndpoint(config, ports, metrics);
  assert.ok(endpoint);
  cleanups.push(() => endpoint.close());
  assert.match(endpoint.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

  const control = new ControlServer(join(dir, 'control.sock'), {
    status: async () => supervisor.status(),
    kill: async () => {
      throw new LbDevError('INSTANCE_NOT_FOUND', 'no instance named "nope"');
    },
  });
  control.observeRequests((method, outcome) => metrics.controlRequest(method, outcome));
  await control.listen();
  cleanups.push(() => control.close());

  supervisor.startAll();
  const app = (name: string) => supervisor.find(name).status();
  // crashy-1 exits by itself (code 1); app-2 is killed with SIGKILL once ready and comes back.
  await until(supervisor, () => app('app-1').state === 'ready' && app('app-2').state === 'ready');
  await supervisor.routes.flush();
  process.kill(app('app-2').pid!, 'SIGKILL');
  await until(supervisor, () => app('app-2').restarts === 1 && app('app-2').state === 'ready' && app('crashy-1').state === 'stopped');
  await supervisor.routes.flush();

  // Two requests to app-1 (one a 502), one to app-2, one answered with no backend at all.
  const url = (name: string) => serverUrl('127.0.0.1', app(name).port!);
  const line = (fields: Record<string, unknown>) => `${JSON.stringify(fields)}\n`;
  await appendFile(
    accessLog,
    line({ ServiceURL: url('app-1'), DownstreamStatus: 200 }) +
      line({ ServiceURL: url('app-1'), DownstreamStatus: 502 }) +
      line({ ServiceURL: url('app-2'), DownstreamStatus: 200 }) +
      line({ DownstreamStatus: 503 }),
  );
  await requests.poll();

  const client = await ControlClient.connect(join(dir, 'control.sock'), dir);
  cleanups.push(() => client.close());
  await client.call('status');
  await assert.rejects(client.call('kill'), /no instance named/);

  const response = await fetch(endpoint.url);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const series = parseExposition(text);
  const at = (name: string, labels: Record<string, string> = {}) => seriesValue(series, name, labels);

  // Every metric of the table is exposed, with its kind.
  const types = typesOf(text);
  for (const spec of Object.values(METRICS)) assert.equal(types.get(spec.name), spec.kind, spec.name);

  assert.equal(at('lb_dev_instance_state', { group: 'app', name: 'app-1', state: 'ready' }), 1);
  assert.equal(at('lb_dev_instance_state', { group: 'app', name: 'app-1', state: 'crashed' }), 0);
  assert.equal(at('lb_dev_instance_state', { group: 'crashy', name: 'crashy-1', state: 'stopped' }), 1);
  assert.equal(at('lb_dev_instance_in_balancer', { group: 'app', name: 'app-2' }), 1);
  assert.equal(at('lb_dev_instance_in_balancer', { group: 'crashy', name: 'crashy-1' }), 0);
  assert.equal(at('lb_dev_instance_restarts_total', { group: 'app', name: 'app-2' }), 1);
  assert.equal(at('lb_dev_instance_restarts_total', { group: 'app', name: 'app-1' }), undefined, 'no restart, no series');
  assert.equal(at('lb_dev_instance_crash_exits_total', { group: 'app', name: 'app-2', code: '', signal: 'SIGKILL' }), 1);
  assert.equal(at('lb_dev_instance_crash_exits_total', { group: 'crashy', name: 'crashy-1', code: '1', signal: '' }), 1);
  // app-1, app-2 twice, crashy-1 (it listens before it crashes).
  assert.equal(at('lb_dev_instance_ready_seconds_count', { group: 'app' }), 3);
  assert.equal(at('lb_dev_instance_ready_seconds_count', { group: 'crashy' }), 1);

  assert.equal(at('lb_dev_requests_total', { group: 'app', name: 'app-1' }), 2);
  assert.equal(at('lb_dev_requests_total', { group: 'app', name: 'app-2' }), 1);
  assert.equal(at('lb_dev_request_errors_total', { group: 'app', name: 'app-1' }), 1);
  assert.equal(at('lb_dev_request_errors_total', { group: 'app', name: 'app-2' }), 0);
  assert.equal(at('lb_dev_requests_without_backend_total'), 1);

  const writes = at('lb_dev_route_writes_total')!;
  assert.ok(writes >= 4, `route writes: ${writes}`);
  // The first write after each exit is timed (app-2 killed, crashy-1 exited: one or two writes, as they fell).
  const timedExits = at('lb_dev_route_exit_to_written_seconds_count')!;
  assert.ok(timedExits >= 1 && timedExits <= 2, `exit -> written observations: ${timedExits}`);
  // A write superseded by a newer one before Traefik showed it is not timed (the newer one is).
  const confirmed = at('lb_dev_route_written_to_confirmed_seconds_count')!;
  assert.ok(confirmed >= 2 && confirmed <= writes, `confirmed ${confirmed} of ${writes} writes`);
  assert.equal(at('lb_dev_route_problems_total', { kind: 'not_confirmed' }), undefined);

  assert.equal(at('lb_dev_control_requests_total', { method: 'status', outcome: 'ok' }), 1);
  assert.equal(at('lb_dev_control_requests_total', { method: 'kill', outcome: 'INSTANCE_NOT_FOUND' }), 1);
});

test('the metrics handler answers only GET/HEAD /metrics', async () => {
  const config = resolveConfig({}, { source: null, overrides: {}, cwd: ROOT, demoCommand: 'node -e 0' });
  const metrics = new LbDevMetrics({ instances: () => [], requests: () => null, backendUrl: () => null });
  const endpoint = await startMetricsEndpoint(config, new PortAllocator('127.0.0.1'), metrics);
  assert.ok(endpoint);
  cleanups.push(() => endpoint.close());
  const base = endpoint.url.replace(/\/metrics$/, '');
  assert.equal((await fetch(`${base}/`)).status, 404);
  assert.equal((await fetch(endpoint.url, { method: 'POST' })).status, 405);
  const head = await fetch(endpoint.url, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
  const text = await (await fetch(`${endpoint.url}?x=1`)).text();
  assert.equal(seriesValue(parseExposition(text), 'lb_dev_requests_without_backend_total'), 0);
});

test('metrics.port false: no endpoint', async () => {
  const config = resolveConfig({ metrics: { port: false } }, { source: null, overrides: {}, cwd: ROOT, demoCommand: 'node -e 0' });
  const metrics = new LbDevMetrics({ instances: () => [], requests: () => null, backendUrl: () => null });
  assert.equal(await startMetricsEndpoint(config, new PortAllocator('127.0.0.1'), metrics), null);
});

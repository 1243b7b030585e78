/**
 * `lb-dev up --monitoring`: a Prometheus (from the local image of scripts/provide-prometheus.sh,
 * or Debian's binary) scraping lb-dev's metrics endpoint and Traefik's, both targets "up",
 * the dashboard's queries valid against it; killed (container removed, process SIGKILLed), it is
 * started again; after Ctrl-C nothing is left running.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connectDocker } from '../../src/adapters/traefik/docker.js';
import { dashboardQueries } from '../../src/core/metrics/grafana-dashboard.js';
import { e2eGate } from '../helpers/e2e-gate.js';
import { portFree } from '../helpers/http.js';
import { FAST_GROUP, LbDevRun, Workspace, nodeFixture, waitUntil } from '../helpers/lb-dev/index.js';

const PROMETHEUS_IMAGE = 'lb-dev/prometheus:local';
const PROMETHEUS_BINARY = '/usr/bin/prometheus';

async function prometheusGate(): Promise<{ skip: false } | { skip: string }> {
  const gate = await e2eGate();
  if (gate.skip) return gate;
  const missing: string[] = [];
  if (!(await (await connectDocker()).imageExists(PROMETHEUS_IMAGE))) missing.push(`image ${PROMETHEUS_IMAGE}`);
  if (!existsSync(PROMETHEUS_BINARY)) missing.push(PROMETHEUS_BINARY);
  if (missing.length === 0) return { skip: false };
  const reason = `${missing.join(' and ')} missing; run scripts/provide-prometheus.sh`;
  if (process.env['LB_DEV_E2E_REQUIRED'] === '1') throw new Error(`end-to-end tests are required (LB_DEV_E2E_REQUIRED=1) but cannot run: ${reason}`);
  return { skip: reason };
}

const gate = await prometheusGate();

interface Target {
  labels: { job: string };
  health: string;
  lastError: string;
  scrapeUrl: string;
}

async function api<T>(base: string, path: string): Promise<T> {
  const answer = (await (await fetch(`${base}${path}`)).json()) as { status: string; data: T; error?: string };
  if (answer.status !== 'success') throw new Error(`${path}: ${answer.error ?? answer.status}`);
  return answer.data;
}

describe('lb-dev up --monitoring', { skip: gate.skip || false, timeout: 600_000 }, () => {
  const workspaces: Workspace[] = [];
  after(async () => {
    for (const ws of workspaces) await ws.cleanup();
  });

  for (const mode of ['docker', 'binary'] as const) {
    it(`Prometheus (${mode}) scrapes lb-dev and Traefik; SIGINT leaves nothing`, { timeout: 240_000 }, async (t) => {
      const ws = await Workspace.create({
        groups: { app: { command: nodeFixture('http-ok.mjs'), instances: 2, ...FAST_GROUP } },
        config: { traefik: { mode: 'docker' }, monitoring: { mode, scrapeInterval: '1s' } },
      });
      workspaces.push(ws);
      const run = LbDevRun.startIn(ws, { args: ['--monitoring'] });
      const report = await run.waitAllReady(2, 90_000);
      assert.ok(
        report.metricsUrl && report.prometheusUrl,
        `expected metricsUrl and prometheusUrl in status, got ${report.metricsUrl} and ${report.prometheusUrl}`,
      );
      assert.match(run.output(), new RegExp(`Prometheus: ${report.prometheusUrl.replace(/[.]/g, '\\.')}`));
      assert.match(run.output(), new RegExp(`metrics: ${report.metricsUrl.replace(/[.]/g, '\\.')}`));
      const prometheus = report.prometheusUrl;
      const prometheusPort = Number(new URL(prometheus).port);
      if (mode === 'docker') assert.equal((await ws.containers()).length, 2, 'expected the Traefik and the Prometheus containers');

      const targets = await waitUntil(
        async () => {
          const { activeTargets } = await api<{ activeTargets: Target[] }>(prometheus, '/api/v1/targets').catch(() => ({ activeTargets: [] as Target[] }));
          const health = Object.fromEntries(activeTargets.map((target) => [target.labels.job, target.health]));
          return health['lb-dev'] === 'up' && health['traefik'] === 'up' ? activeTargets : null;
        },
        { timeoutMs: 60_000, intervalMs: 250, what: 'both scrape targets (lb-dev, traefik) "up" in Prometheus' },
      );
      t.diagnostic(`targets: ${targets.map((target) => `${target.labels.job} ${target.scrapeUrl} ${target.health}`).join('; ')}`);
      assert.ok(targets.some((target) => target.scrapeUrl.endsWith(new URL(report.metricsUrl!).pathname) && target.labels.job === 'lb-dev'));

      // lb-dev's series arrive, and every query of the Grafana dashboard is valid PromQL here.
      await waitUntil(
        async () => {
          const data = await api<{ result: Array<{ value: [number, string] }> }>(
            prometheus,
            `/api/v1/query?query=${encodeURIComponent('sum(lb_dev_instance_state{state="ready"})')}`,
          );
          return data.result[0]?.value[1] === '2' ? true : null;
        },
        { timeoutMs: 30_000, intervalMs: 250, what: 'lb_dev_instance_state shows 2 ready instances in Prometheus' },
      );
      for (const expr of dashboardQueries()) {
        await api(prometheus, `/api/v1/query?query=${encodeURIComponent(expr.replaceAll('$__rate_interval', '1m'))}`);
      }

      // Prometheus killed under `up` (its container removed, its process SIGKILLed): started again, ready again.
      const backBefore = run.output().split('Prometheus is back').length;
      if (mode === 'docker') {
        const container = (await ws.containers()).find((c) => c.name.startsWith('lb-dev-prometheus-'));
        assert.ok(container, 'the Prometheus container');
        await (await connectDocker()).docker.getContainer(container.id).remove({ force: true });
      } else {
        const instances = new Set(report.instances.map((i) => i.pid));
        const pid = ws.processes().find((p) => !instances.has(p));
        assert.ok(pid, 'the prometheus process');
        process.kill(pid, 'SIGKILL');
      }
      const ready = async () => (await fetch(`${prometheus}/-/ready`, { signal: AbortSignal.timeout(1_000) }).catch(() => null))?.ok === true;
      await waitUntil(async () => run.output().split('Prometheus is back').length > backBefore && (await ready()), {
        timeoutMs: 60_000,
        what: () => `Prometheus started again and ready at ${prometheus}\n${run.tail()}`,
      });
      assert.match(run.output(), /ERROR: [^\n]*: monitoring is off; starting Prometheus again/);

      run.signal('SIGINT');
      const exit = await run.waitExit(60_000);
      assert.deepEqual(exit, { code: 0, signal: null }, `expected up to exit 0 after SIGINT, got ${JSON.stringify(exit)}\n${run.tail()}`);
      assert.deepEqual(await ws.containers(), [], 'expected no container of this state dir after shutdown');
      assert.equal(await portFree(prometheusPort), true, `expected Prometheus's port ${prometheusPort} free after shutdown`);
      assert.deepEqual(ws.processes(), [], 'expected no process with this state dir marker after shutdown');
    });
  }
});

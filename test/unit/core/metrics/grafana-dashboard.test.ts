import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { LbDevMetrics } from '../../../../src/app/metrics/lb-dev-metrics.js';
import { dashboardQueries, grafanaDashboard, grafanaDashboardJson } from '../../../../src/core/metrics/grafana-dashboard.js';

const FILE = new URL('../../../../config/monitoring/grafana-dashboard.json', import.meta.url);

/** The series names a query reads: identifiers left once label lists, matchers, ranges and function calls are taken out. */
function seriesIn(expr: string): string[] {
  const bare = expr
    .replace(/\b(by|without)\s*\([^)]*\)/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b[a-z_]+\s*\(/g, ' (');
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]);
}

/** Every series name lb-dev's registry exposes (a histogram as its _bucket, _sum and _count). */
async function exposedSeries(): Promise<Set<string>> {
  const metrics = new LbDevMetrics({ instances: () => [], requests: () => null, backendUrl: () => null });
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
    else names.add(metric.name);
  }
  return names;
}

describe('Grafana dashboard', () => {
  it('config/monitoring/grafana-dashboard.json is current (else run: node scripts/gen-grafana-dashboard.mjs)', async () => {
    assert.equal(await readFile(FILE, 'utf8'), grafanaDashboardJson());
  });

  it('every query reads only series lb-dev exposes, and reads some', async () => {
    const exposed = await exposedSeries();
    const queries = dashboardQueries();
    assert.ok(queries.length >= 10);
    for (const expr of queries) {
      const series = seriesIn(expr);
      assert.ok(series.length > 0, `no series in ${expr}`);
      for (const name of series) assert.ok(exposed.has(name), `${expr}: ${name} is not exposed by lb-dev (exposed: ${[...exposed].join(', ')})`);
    }
  });

  it('the query parser finds the series and skips functions, labels and ranges', () => {
    assert.deepEqual(seriesIn('histogram_quantile(0.95, sum by (le, group) (rate(lb_dev_x_bucket[5m])))'), ['lb_dev_x_bucket']);
    assert.deepEqual(seriesIn('rate(a_total{kind="x"}[$__rate_interval]) * 60'), ['a_total']);
  });

  it('has a panel per row half, each with a Prometheus target', () => {
    const panels = grafanaDashboard()['panels'] as Array<{ targets: unknown[]; gridPos: { x: number } }>;
    assert.ok(panels.every((p) => p.targets.length > 0 && (p.gridPos.x === 0 || p.gridPos.x === 12)));
  });
});

describe('docs/monitoring.md', () => {
  it('names every metric of the table', async () => {
    const { METRICS } = await import('../../../../src/core/metrics/catalog.js');
    const text = await readFile(new URL('../../../../docs/monitoring.md', import.meta.url), 'utf8');
    for (const spec of Object.values(METRICS))
      assert.ok(text.includes(`| \`${spec.name}\` | ${spec.kind} |`), `docs/monitoring.md lacks a row for ${spec.name}`);
  });
});

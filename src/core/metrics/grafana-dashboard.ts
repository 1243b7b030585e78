/**
 * A Grafana dashboard for lb-dev's metrics, built from the metric table (catalog.ts) so that
 * every query names a metric lb-dev exposes. scripts/gen-grafana-dashboard.mjs writes it to
 * config/monitoring/grafana-dashboard.json; a unit test fails when that file is stale or a
 * query names an unknown series. Pure.
 */
import { METRICS } from './catalog.js';

const m = Object.fromEntries(Object.entries(METRICS).map(([key, spec]) => [key, spec.name])) as { [K in keyof typeof METRICS]: (typeof METRICS)[K]['name'] };
const RATE = '[$__rate_interval]';
/** Restarts, crashes and readiness happen a few at a time: counted over a window, not per second. */
const WINDOW = '[5m]';

interface Target {
  expr: string;
  legend: string;
}

interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  targets: Target[];
  /** Stacked areas (parts of a whole, e.g. instances by state). */
  stacked?: boolean;
}

const quantile = (q: number, metric: string, by: string) => `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ''}) (rate(${metric}_bucket${WINDOW})))`;

/** Rows of two panels each, in reading order. */
const PANELS: PanelSpec[] = [
  {
    title: 'Instances by state',
    unit: 'short',
    stacked: true,
    description: 'How many instances are starting, ready, unhealthy, crashed or stopped.',
    targets: [{ expr: `sum by (state) (${m.instanceState})`, legend: '{{state}}' }],
  },
  {
    title: 'In the balancer',
    unit: 'short',
    stacked: true,
    description: 'Which instances Traefik sends traffic to (1 = in).',
    targets: [{ expr: `sum by (name) (${m.instanceInBalancer})`, legend: '{{name}}' }],
  },
  {
    title: 'Requests per second by instance',
    unit: 'reqps',
    stacked: true,
    description: "From Traefik's access log; `none` = answered without any instance (503 while none takes traffic).",
    targets: [
      { expr: `sum by (name) (rate(${m.requests}${RATE}))`, legend: '{{name}}' },
      { expr: `rate(${m.requestsWithoutBackend}${RATE})`, legend: 'none' },
    ],
  },
  {
    title: 'Errors (5xx) per second by instance',
    unit: 'reqps',
    description: "Requests answered with a status of 500 or more, from Traefik's access log.",
    targets: [{ expr: `sum by (name) (rate(${m.requestErrors}${RATE}))`, legend: '{{name}}' }],
  },
  {
    title: 'Restarts and crash exits (5m)',
    unit: 'short',
    description: 'Restarts lb-dev made, and exits nobody asked for by exit code or signal, over the last 5 minutes.',
    targets: [
      { expr: `sum by (name) (increase(${m.restarts}${WINDOW}))`, legend: 'restarts {{name}}' },
      { expr: `sum by (name, code, signal) (increase(${m.crashExits}${WINDOW}))`, legend: 'crash {{name}} {{code}}{{signal}}' },
    ],
  },
  {
    title: 'Time to ready (spawn -> ready)',
    unit: 's',
    description: 'Median and 95th percentile over 5 minutes, per group.',
    targets: [
      { expr: quantile(0.5, m.readySeconds, 'group'), legend: 'p50 {{group}}' },
      { expr: quantile(0.95, m.readySeconds, 'group'), legend: 'p95 {{group}}' },
    ],
  },
  {
    title: 'Failover: exit -> route written -> Traefik confirmed',
    unit: 's',
    description: 'How soon a dead instance leaves the written routes, and how soon Traefik shows a written change (95th percentile, 5 minutes).',
    targets: [
      { expr: quantile(0.95, m.exitToWrittenSeconds, ''), legend: 'exit -> written p95' },
      { expr: quantile(0.95, m.writtenToConfirmedSeconds, ''), legend: 'written -> confirmed p95' },
    ],
  },
  {
    title: 'Route writes and problems per minute',
    unit: 'short',
    description: 'Changed configs written for Traefik, and changes that failed to write or that Traefik did not show in time.',
    targets: [
      { expr: `rate(${m.routeWrites}${RATE}) * 60`, legend: 'writes' },
      { expr: `sum by (kind) (rate(${m.routeProblems}${RATE})) * 60`, legend: '{{kind}}' },
    ],
  },
  {
    title: 'Control requests per minute',
    unit: 'short',
    description: 'Requests on the control socket (CLI commands, the dashboard) by method and outcome.',
    targets: [{ expr: `sum by (method, outcome) (rate(${m.controlRequests}${RATE})) * 60`, legend: '{{method}} {{outcome}}' }],
  },
];

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's own variable syntax, written as is.
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function panel(spec: PanelSpec, index: number): Record<string, unknown> {
  return {
    id: index + 1,
    type: 'timeseries',
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: spec.stacked ? 30 : 10, stacking: { mode: spec.stacked ? 'normal' : 'none', group: 'A' } },
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: spec.targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), datasource: DATASOURCE, expr: t.expr, legendFormat: t.legend })),
  };
}

export function grafanaDashboard(): Record<string, unknown> {
  return {
    title: 'lb-dev',
    uid: 'lb-dev',
    description:
      "lb-dev's instances, requests, failover timings and control requests (generated by scripts/gen-grafana-dashboard.mjs from src/core/metrics/catalog.ts)",
    tags: ['lb-dev'],
    editable: true,
    schemaVersion: 39,
    time: { from: 'now-30m', to: 'now' },
    refresh: '5s',
    templating: {
      list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }],
    },
    panels: PANELS.map(panel),
  };
}

/** The text of config/monitoring/grafana-dashboard.json. */
export function grafanaDashboardJson(): string {
  return `${JSON.stringify(grafanaDashboard(), null, 2)}\n`;
}

/** Every expression the dashboard queries (for the test that they name only known series). */
export function dashboardQueries(): string[] {
  return PANELS.flatMap((p) => p.targets.map((t) => t.expr));
}

/** `lb-dev status` and the dashboard's run facts, built from the parts of the running `up`. */
import type { Stack } from '../stack/stack.js';
import type { StatusReport } from '../status-report.js';
import type { UpContext } from './context.js';
import type { DashboardPart } from './dashboard-part.js';
import type { InstancesPart } from './instances-part.js';
import type { MetricsPart } from './metrics-part.js';
import type { PrometheusPart } from './prometheus-part.js';
import type { TraefikPart } from './traefik-part.js';

export interface StatusParts {
  traefik: TraefikPart;
  instances: InstancesPart;
  metrics: MetricsPart;
  prometheus: PrometheusPart;
  dashboard: DashboardPart;
}

export function statusReport(ctx: UpContext, stack: Stack, parts: StatusParts): StatusReport {
  const { traefik, instances, metrics, prometheus, dashboard } = parts;
  const counts = traefik.requests?.byUrl();
  const instanceStatus = (instances.supervisorIfStarted?.status() ?? []).map((i) => {
    const url = i.port === null ? null : traefik.backendUrl(i.port);
    return counts && url ? { ...i, requests: counts.get(url) ?? 0 } : i;
  });
  return {
    url: ctx.url,
    dynamicConfigPath: ctx.layout.dynamicFile,
    stateDir: ctx.layout.root,
    pid: process.pid,
    startedAt: ctx.startedAt,
    usingDemoApp: ctx.config.usingDemoApp,
    ...traefik.report(),
    instances: instanceStatus,
    metricsUrl: metrics.url,
    prometheusUrl: prometheus.url,
    dashboardUrl: dashboard.url,
    parts: stack.status(),
  };
}

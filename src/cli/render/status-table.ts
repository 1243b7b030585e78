/** `lb-dev status` as a table (pure: report in, text out). */
import type { StatusReport } from '../../app/status-report.js';
import { formatElapsed } from '../../core/text/duration.js';

/** Whole seconds: a table column that changes every second should not flicker tenths. */
function ago(ms: number): string {
  return formatElapsed(ms, { wholeSeconds: true });
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function renderStatus(report: StatusReport, now: number): string {
  const requests = report.instances.some((i) => i.requests !== undefined);
  // LB (in/out of the load balancer), not BALANCER: the room goes to the last exit in RESTARTS.
  const header = ['INSTANCE', 'STATE', 'LB', 'PORT', 'PID', 'UPTIME', 'RESTARTS'];
  if (requests) header.push('REQUESTS');
  // restartOn.files: the build (the file's time) each process started on, e.g. Meteor's bundle.
  const builds = report.instances.some((i) => i.build !== undefined);
  if (builds) header.push('BUILD');
  const rows = [header];
  for (const i of report.instances) {
    const row = [
      i.name,
      stateCell(i, now),
      i.inBalancer ? 'in' : 'out',
      i.port === null ? '-' : String(i.port),
      i.pid === null ? '-' : String(i.pid),
      i.startedAt && i.pid !== null ? ago(now - i.startedAt) : '-',
      restartsCell(i),
    ];
    if (requests) row.push(String(i.requests ?? '-'));
    if (builds) row.push(i.build === undefined ? '-' : i.build.slice(11, 23));
    rows.push(row);
  }
  // Why an instance could not start (a missing cwd, E2BIG): the table cell has no room for it.
  const problems = report.instances.filter((i) => i.lastExit?.reason && i.pid === null).map((i) => `${i.name}: could not start: ${i.lastExit!.reason}`);
  // What a run cannot say itself (it listens on another port than its own).
  for (const i of report.instances) if (i.warning) problems.push(i.warning);
  const routes = report.routes;
  const confirmed =
    routes.confirmed === true ? `live in Traefik (${routes.confirmMs}ms)` : routes.confirmed === false ? `NOT CONFIRMED: ${routes.problem}` : 'written';
  return [
    `balancer  ${report.url}   (Traefik: ${report.traefik.description})`,
    `routes    ${routes.written.join(', ') || 'none (503)'} - ${confirmed}`,
    `config    ${report.dynamicConfigPath}`,
    ...(report.metricsUrl ? [`metrics   ${report.metricsUrl}${report.prometheusUrl ? `   (Prometheus: ${report.prometheusUrl})` : ''}`] : []),
    ...(report.dashboardUrl ? [`dashboard ${report.dashboardUrl}`] : []),
    '',
    table(rows),
    ...(problems.length ? ['', ...problems] : []),
    '',
  ].join('\n');
}

function stateCell(i: StatusReport['instances'][number], now: number): string {
  if (i.state === 'crashed' && i.nextRestartAt) return `crashed (restart in ${ago(i.nextRestartAt - now)})`;
  if (i.state === 'stopped' && i.lastExit?.reason && i.desired === 'stopped') return 'stopped (could not start)';
  return i.state;
}

/**
 * The restarts and how the last process ended (`3 (exit 1)`, `2 (SIGKILL)`), as --json's
 * lastExit says: in the restarts cell, since a column of its own would push a row with a
 * 7-digit pid and a crashed instance past 80 columns.
 */
function restartsCell(i: StatusReport['instances'][number]): string {
  const exit = i.lastExit;
  if (!exit || (exit.code === null && exit.signal === null)) return String(i.restarts);
  return `${i.restarts} (${exit.signal ?? `exit ${exit.code}`})`;
}

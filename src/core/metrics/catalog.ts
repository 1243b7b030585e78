/**
 * THE table of the metrics lb-dev exposes: name, kind, help and labels. The registry
 * (src/app/metrics/registry.ts) is built from it, and so is the Grafana dashboard
 * (src/core/metrics/grafana-dashboard.ts), so the two cannot drift apart.
 *
 * Labels name an instance `name` (app-2), never `instance`: Prometheus sets `instance` on
 * every series to the scraped target's address, and a clash would rename ours.
 */

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface MetricSpec {
  readonly name: string;
  readonly kind: MetricKind;
  readonly help: string;
  readonly labels: readonly string[];
  /** Histogram bucket upper bounds, in seconds. */
  readonly buckets?: readonly number[];
}

/** From a fast app's readiness (tens of ms) to a dev build (minutes). */
const READY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Route changes: a write follows an exit within ms; Traefik's throttle (100ms) plus its file watch adds more. */
const ROUTE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const METRICS = {
  instanceState: {
    name: 'lb_dev_instance_state',
    kind: 'gauge',
    labels: ['group', 'name', 'state'],
    help: 'One-hot state of each instance: 1 for its current state (starting, ready, unhealthy, crashed, stopped), 0 for the others',
  },
  instanceInBalancer: {
    name: 'lb_dev_instance_in_balancer',
    kind: 'gauge',
    labels: ['group', 'name'],
    help: 'Whether the balancer sends the instance traffic (1) or not (0)',
  },
  restarts: {
    name: 'lb_dev_instance_restarts_total',
    kind: 'counter',
    labels: ['group', 'name'],
    help: 'Restarts lb-dev made after an instance exited or never became ready',
  },
  crashExits: {
    name: 'lb_dev_instance_crash_exits_total',
    kind: 'counter',
    labels: ['group', 'name', 'code', 'signal'],
    help: 'Exits nobody asked for, by exit code or signal (the other label is empty)',
  },
  readySeconds: {
    name: 'lb_dev_instance_ready_seconds',
    kind: 'histogram',
    labels: ['group'],
    buckets: READY_BUCKETS,
    help: 'Time from spawning an instance to it being ready (probe or log pattern)',
  },
  requests: {
    name: 'lb_dev_requests_total',
    kind: 'counter',
    labels: ['group', 'name'],
    help: "Requests Traefik sent to each instance (from Traefik's access log)",
  },
  requestErrors: {
    name: 'lb_dev_request_errors_total',
    kind: 'counter',
    labels: ['group', 'name'],
    help: "Requests to each instance answered with a status of 500 or more (from Traefik's access log)",
  },
  requestsWithoutBackend: {
    name: 'lb_dev_requests_without_backend_total',
    kind: 'counter',
    labels: [],
    help: 'Requests Traefik answered without any instance (e.g. 503 while none takes traffic)',
  },
  routeWrites: {
    name: 'lb_dev_route_writes_total',
    kind: 'counter',
    labels: [],
    help: 'Changed dynamic configs written for Traefik (the set of instances taking traffic changed)',
  },
  routeProblems: {
    name: 'lb_dev_route_problems_total',
    kind: 'counter',
    labels: ['kind'],
    help: "Route changes that failed: kind=write_failed (the file), kind=not_confirmed (Traefik's API did not show it in time)",
  },
  exitToWrittenSeconds: {
    name: 'lb_dev_route_exit_to_written_seconds',
    kind: 'histogram',
    labels: [],
    buckets: ROUTE_BUCKETS,
    help: 'Time from an instance exiting to the route change without it being written',
  },
  writtenToConfirmedSeconds: {
    name: 'lb_dev_route_written_to_confirmed_seconds',
    kind: 'histogram',
    labels: [],
    buckets: ROUTE_BUCKETS,
    help: "Time from writing a route change to Traefik's API showing it",
  },
  controlRequests: {
    name: 'lb_dev_control_requests_total',
    kind: 'counter',
    labels: ['method', 'outcome'],
    help: 'Requests on the control socket (the CLI, the dashboard), by method and outcome (ok or an error code)',
  },
} as const satisfies Record<string, MetricSpec>;

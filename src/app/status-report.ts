/** What `lb-dev status --json` prints: the shape other tools and tests rely on. */
import type { LbDevConfig } from '../core/config/types.js';
import { hostForUrl } from '../core/text/host-port.js';
import type { InstanceStatus } from './instance.js';
import type { RouteSyncStatus } from './routes/route-events.js';
import type { PartStatus } from './stack/part.js';

export interface StatusReport {
  /** The balancer's address: what users open. */
  url: string;
  /** The dynamic config file Traefik reads. */
  dynamicConfigPath: string;
  stateDir: string;
  pid: number;
  startedAt: number;
  usingDemoApp: boolean;
  traefik: {
    /** How Traefik runs: docker, binary or external (what auto chose, when auto). */
    mode: string;
    /** traefik.mode as configured: auto, docker, binary or external. */
    configuredMode: string;
    /** Why this mode (and which executable or image): the line `up` printed. */
    why: string;
    apiUrl: string | null;
    description: string;
  };
  routes: RouteSyncStatus;
  instances: InstanceStatus[];
  /** lb-dev's Prometheus metrics (`http://127.0.0.1:<port>/metrics`); null when metrics.port is false. */
  metricsUrl: string | null;
  /** The Prometheus `up --monitoring` runs; null without --monitoring. */
  prometheusUrl: string | null;
  /** The dashboard's address with this run's token (the socket is owner-only); null = no dashboard. */
  dashboardUrl: string | null;
  /** Every part of the run in start order (control, lifeline, traefik, metrics, prometheus, instances, dashboard). */
  parts: PartStatus[];
}

export function balancerUrl(config: LbDevConfig): string {
  const host = config.balancer.host === '0.0.0.0' ? '127.0.0.1' : config.balancer.host;
  return `http://${hostForUrl(host)}:${config.balancer.port}`;
}

/**
 * Starting the dashboard for `up`: its server on 127.0.0.1:<dashboard.port> with a random
 * token for this run, the feed that follows the supervisor, the API and chaos switch.
 */
import { randomBytes } from 'node:crypto';
import { DashboardServer } from '../../dashboard/server.js';
import type { InstanceOperations } from '../operations/contract.js';
import type { Supervisor } from '../supervisor.js';
import { addDashboardApi, chaosEventText } from './api.js';
import { ChaosSwitch } from './chaos-switch.js';
import { DashboardFeed, type RequestCounts } from './feed.js';

export interface DashboardDeps {
  /** Claimed by `up` (claimListenPort), reserved for the run. */
  port: number;
  /** Host names accepted besides 127.0.0.1 and localhost (e.g. host.docker.internal for a scraper in a container). */
  extraHosts?: readonly string[];
  supervisor: Supervisor;
  operations: InstanceOperations;
  requests: () => RequestCounts | null;
  backendHost: string;
  balancerUrl: string;
  stickyCookie: string | null;
}

export interface RunningDashboard {
  /** The URL to open, with the token. */
  url: string;
  /** Where others add routes (e.g. GET /metrics). */
  server: DashboardServer;
  close(): Promise<void>;
}

export async function startDashboard(deps: DashboardDeps): Promise<RunningDashboard> {
  const server = new DashboardServer({ port: deps.port, token: randomBytes(18).toString('base64url'), extraHosts: deps.extraHosts ?? [] });
  await server.listen();
  let feed: DashboardFeed | null = null;
  const chaos = new ChaosSwitch(deps.supervisor, deps.operations, (event) => {
    feed?.note('chaos', event.event === 'kill' ? event.instance : null, chaosEventText(event));
    feed?.pushState();
  });
  feed = new DashboardFeed({
    supervisor: deps.supervisor,
    requests: deps.requests,
    backendHost: deps.backendHost,
    balancerUrl: deps.balancerUrl,
    chaos: () => chaos.status(),
  });
  addDashboardApi(server, {
    feed,
    operations: deps.operations,
    chaos,
    supervisor: deps.supervisor,
    stickyCookie: deps.stickyCookie,
    backendHost: deps.backendHost,
  });
  feed.start();
  const started = feed;
  return {
    url: server.url,
    server,
    close: async () => {
      await chaos.off();
      started.stop();
      await server.close();
    },
  };
}

/**
 * `up`'s metrics endpoint: its own loopback listener on `metrics.port` (auto = a free port
 * from the PortAllocator, so no instance gets it), serving lb-dev's registry at /metrics to a
 * loopback Host, or host.docker.internal: what `--monitoring`'s Prometheus in a Docker bridge
 * network scrapes (core/monitoring/prometheus.ts, scrapeHost).
 */
import type { LbDevConfig } from '../../core/config/types.js';
import { DOCKER_HOST_ALIAS } from '../../core/traefik/container-spec.js';
import { MetricsServer } from '../../adapters/metrics-server.js';
import { type PortAllocator, claimListenPort } from '../../adapters/ports.js';
import type { LbDevMetrics } from './lb-dev-metrics.js';

const HOST = '127.0.0.1';

export interface MetricsEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Null when `metrics.port` is false. */
export async function startMetricsEndpoint(config: LbDevConfig, ports: PortAllocator, metrics: LbDevMetrics): Promise<MetricsEndpoint | null> {
  const wanted = config.metrics.port;
  if (wanted === false) return null;
  const { port } = await claimListenPort(wanted, ports, { host: HOST, explicit: true, what: 'the metrics endpoint', setting: 'metrics.port' });
  const server = new MetricsServer(metrics.handleMetricsRequest, HOST, port, [DOCKER_HOST_ALIAS]);
  try {
    await server.listen();
  } catch (error) {
    ports.release(port);
    throw error;
  }
  return {
    url: server.url,
    port,
    close: async () => {
      await server.close();
      ports.release(port);
    },
  };
}

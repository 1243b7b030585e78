/** `up --monitoring`: Prometheus on a claimed loopback port, scraping lb-dev's metrics and Traefik's. */
import type { LbDevConfig } from '../../core/config/types.js';
import type { LogHub } from '../../adapters/logs/log-hub.js';
import type { LifelineWatch } from '../../adapters/process/lifeline.js';
import { type PortAllocator, claimListenPort } from '../../adapters/ports.js';
import type { StateLayout } from '../state-dir.js';

export interface MonitoringDeps {
  config: LbDevConfig;
  layout: StateLayout;
  logs: LogHub;
  log: { info(text: string): void };
  ports: PortAllocator;
  /** lb-dev's metrics endpoint; null when metrics.port is false. */
  metricsPort: number | null;
  /** Traefik's API port (its /metrics); null for a Traefik that is not ours. */
  traefikPort: number | null;
  lifeline?: LifelineWatch;
}

export async function startMonitoring(deps: MonitoringDeps): Promise<{ url: string; stop(): Promise<void> }> {
  const { config, layout, logs, log } = deps;
  // Prometheus and its dockerode client load only for --monitoring.
  const { PrometheusRuntime } = await import('./prometheus-runtime.js');
  const { port } = await claimListenPort(config.monitoring.port, deps.ports, { host: '127.0.0.1', explicit: true, what: 'Prometheus', setting: 'monitoring.port' });
  const prometheus = await PrometheusRuntime.create({ config, layout, logs, port, ...(deps.lifeline ? { lifeline: deps.lifeline } : {}) });
  log.info(`starting Prometheus: ${prometheus.describe()}`);
  try {
    await prometheus.start({ metricsPort: deps.metricsPort, traefikPort: deps.traefikPort });
  } catch (error) {
    await prometheus.stop();
    throw error;
  }
  log.info(`Prometheus: ${prometheus.url} (scraping lb-dev and Traefik every ${config.monitoring.scrapeIntervalMs / 1000}s)`);
  return { url: prometheus.url, stop: () => prometheus.stop() };
}

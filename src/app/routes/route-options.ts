/** How the route reconciler is set up, and the two small pure helpers it uses: the render and the retry delay. */
import type { BalancerConfig } from '../../core/config/types.js';
import { restartDelayMs } from '../../core/instance/backoff.js';
import { type RouteServer, dynamicConfigText, renderDynamicConfig } from '../../core/traefik/dynamic-config.js';
import type { TraefikApi } from '../../adapters/traefik/api-client.js';
import type { DynamicConfigWriter } from '../../adapters/traefik/config-writer.js';

export interface RouteReconcilerOptions {
  serviceName: string;
  entryPoint: string;
  backendHost: string;
  balancer: BalancerConfig;
  /** False for a Traefik that is not ours: its other providers may define the default TLS store. */
  defaultCertificate: boolean;
  writer: DynamicConfigWriter;
  /** Traefik's API to confirm against; null (external Traefik without apiUrl) = write only. */
  api: TraefikApi | null;
  /** Not shown by then: reported (status.problem, notConfirmed); the touches go on. */
  confirmTimeoutMs: number;
  /** The first wait for Traefik before the file is touched (default 1 s); each touch waits twice as long, up to the timeout. */
  touchAfterMs?: number;
  /** Backoff between retries of a failed write, and between touches once the timeout passed. */
  retry?: { initialDelayMs: number; maxDelayMs: number };
}

const DEFAULT_RETRY = { initialDelayMs: 250, maxDelayMs: 30_000 };

/** The whole dynamic config file for these servers. */
export function renderRoutes(servers: readonly RouteServer[], opts: RouteReconcilerOptions): string {
  return dynamicConfigText(
    renderDynamicConfig(servers, {
      serviceName: opts.serviceName,
      entryPoint: opts.entryPoint,
      backendHost: opts.backendHost,
      balancer: opts.balancer,
      defaultCertificate: opts.defaultCertificate,
    }),
  );
}

/** Exponential from retry.initialDelayMs, capped, with +-20% jitter (retries of several lb-devs do not line up). */
export function retryDelayMs(opts: RouteReconcilerOptions, attempt: number): number {
  const { initialDelayMs, maxDelayMs } = opts.retry ?? DEFAULT_RETRY;
  return restartDelayMs({ enabled: true, initialDelayMs, maxDelayMs, multiplier: 2, jitter: 0.2, resetAfterMs: 0 }, attempt, Math.random());
}

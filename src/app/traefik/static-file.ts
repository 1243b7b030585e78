/** Writes the static config a Traefik run by (or for) lb-dev starts with. */
import { mkdir, open } from 'node:fs/promises';
import type { LbDevConfig } from '../../core/config/types.js';
import { renderStaticConfig, staticConfigToYaml } from '../../core/traefik/static-config.js';
import { type StateLayout, writeOwnerOnly } from '../state-dir.js';

export interface StaticPaths {
  /** The dynamic dir and the access log as Traefik sees them (container paths for Docker). */
  dynamicDir: string;
  accessLog: string;
  /** Addresses to listen on (all interfaces inside a bridge container). */
  balancerHost: string;
  apiHost: string;
}

export async function writeStaticConfig(config: LbDevConfig, layout: StateLayout, paths: StaticPaths): Promise<string> {
  const yaml = staticConfigToYaml(
    renderStaticConfig({
      dynamicDir: paths.dynamicDir,
      throttleMs: config.traefik.throttleMs,
      balancerPort: config.balancer.port,
      apiPort: config.traefik.apiPort,
      balancerHost: paths.balancerHost,
      apiHost: paths.apiHost,
      accessLogPath: config.traefik.accessLog ? paths.accessLog : null,
      metrics: config.traefik.metrics || config.monitoring.prometheus,
    }),
  );
  await mkdir(layout.dynamicDir, { recursive: true, mode: 0o700 });
  await mkdir(layout.tmpDir, { recursive: true, mode: 0o700 });
  await writeOwnerOnly(layout.staticFile, yaml);
  // Traefik would create its access log 0664: one that exists keeps our owner-only mode.
  if (config.traefik.accessLog) await (await open(layout.accessLog, 'a', 0o600)).close();
  return layout.staticFile;
}

/** The host's own view: what a local binary (or the user's external Traefik) uses. */
export function hostPaths(config: LbDevConfig, layout: StateLayout): StaticPaths {
  return { dynamicDir: layout.dynamicDir, accessLog: layout.accessLog, balancerHost: config.balancer.host, apiHost: config.balancer.host };
}

/** Writes the static config a Traefik run by (or for) lb-dev starts with. */
import { mkdir, writeFile } from 'node:fs/promises';
import type { LbDevConfig } from '../../core/config/types.js';
import { renderStaticConfig, staticConfigToYaml } from '../../core/traefik/static-config.js';
import type { StateLayout } from '../state-dir.js';

export interface StaticPaths {
  /** The dynamic dir and the access log as Traefik sees them (container paths for Docker). */
  dynamicDir: string;
  accessLog: string;
  /** Addresses to listen on (all interfaces inside a bridge container). */
  balancerHost: string;
  apiHost: string;
}

export async function writeStaticConfig(config: LbDevConfig, layout: StateLayout, paths: StaticPaths): Promise<string> {
  const yaml = staticConfigToYaml(renderStaticConfig({
    dynamicDir: paths.dynamicDir,
    throttleMs: config.traefik.throttleMs,
    balancerPort: config.balancer.port,
    apiPort: config.traefik.apiPort,
    balancerHost: paths.balancerHost,
    apiHost: paths.apiHost,
    accessLogPath: config.traefik.accessLog ? paths.accessLog : null,
  }));
  await mkdir(layout.dynamicDir, { recursive: true });
  await mkdir(layout.tmpDir, { recursive: true });
  await writeFile(layout.staticFile, yaml);
  return layout.staticFile;
}

/** The host's own view: what a local binary (or the user's external Traefik) uses. */
export function hostPaths(config: LbDevConfig, layout: StateLayout): StaticPaths {
  return { dynamicDir: layout.dynamicDir, accessLog: layout.accessLog, balancerHost: config.balancer.host, apiHost: config.balancer.host };
}

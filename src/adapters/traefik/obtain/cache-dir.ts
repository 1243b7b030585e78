/**
 * Where obtained Traefik binaries live: `<cache>/traefik/<version>/traefik`, with <cache> =
 * LB_DEV_CACHE_DIR, else $XDG_CACHE_HOME/lb-dev, else ~/.cache/lb-dev. The same layout as
 * scripts/provide-traefik.sh has always used, so binaries it built are found.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function lbDevCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['LB_DEV_CACHE_DIR']) return env['LB_DEV_CACHE_DIR'];
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'lb-dev');
}

/** The directory holding one version's binary (and, while it is being obtained, its lock and temp files). */
export function traefikVersionDir(cacheDir: string, version: string): string {
  return join(cacheDir, 'traefik', version);
}

export function cachedTraefikPath(cacheDir: string, version: string, binaryName = 'traefik'): string {
  return join(traefikVersionDir(cacheDir, version), binaryName);
}

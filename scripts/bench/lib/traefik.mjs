// The Traefik every balanced scenario uses: the same v3.6 binary for the original proposal's
// static setup and for lb-dev (`--traefik binary`), so the two differ only in configuration.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { get } from './http-load.mjs';
import { ROOT } from './util.mjs';

const CACHED = join(process.env.LB_DEV_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lb-dev'), 'traefik', 'v3.6.25', 'traefik');

/** Path of a Traefik v3.6 binary: the cached build if present, else scripts/provide-traefik.sh provides one. */
export function traefikBinary() {
  if (process.env.LB_DEV_BENCH_TRAEFIK) return process.env.LB_DEV_BENCH_TRAEFIK;
  if (existsSync(CACHED)) return CACHED;
  return execFileSync('bash', [join(ROOT, 'scripts', 'provide-traefik.sh'), '--binary'], { encoding: 'utf8' }).trim();
}

export function traefikVersion(binary) {
  try {
    const text = execFileSync(binary, ['version'], { encoding: 'utf8' });
    return /Version:\s*(\S+)/.exec(text)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The static config of a hand-made setup's Traefik (original proposal, raw Traefik): file provider, API, errors only. */
export const staticYaml = ({ port, apiPort, dynamicDir }) => `
entryPoints:
  web: { address: "127.0.0.1:${port}" }
  traefik: { address: "127.0.0.1:${apiPort}" }
api: { insecure: true, dashboard: false }
log: { level: ERROR, noColor: true }
providers:
  file: { directory: "${dynamicDir}", watch: true }
`;

/** Starts `traefik --configFile=<file>`; returns the process (its stdout/stderr kept for errors). */
export function spawnTraefik(binary, configFile) {
  const child = spawn(binary, [`--configFile=${configFile}`], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const keep = (c) => {
    output = (output + c.toString()).slice(-10_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { child, output: () => output };
}

/** Server URLs of a service in Traefik's API ([] while the service is not there). */
export async function listedServers(agent, apiUrl, service) {
  const res = await get(agent, `${apiUrl}/api/http/services/${service}`);
  if (res.status !== 200) return [];
  return (JSON.parse(res.body).loadBalancer?.servers ?? []).map((s) => s.url);
}

/**
 * `lb-dev doctor`: checks what lb-dev needs on this machine and says what to fix.
 * Each check is independent; one failing does not hide the others.
 */
import { readFile } from 'node:fs/promises';
import type { LbDevConfig } from '../core/config/types.js';
import type { LbDevError } from '../core/errors.js';
import { hostForUrl } from '../core/text/host-port.js';
import { chooseNetworkMode } from '../core/traefik/container-spec.js';
import { isPortFree } from '../adapters/ports.js';
import { missingDashboardReason } from '../adapters/traefik/dashboard-probe.js';
import { connectDocker } from '../adapters/traefik/docker.js';
import type { CheckResult } from './check-result.js';
import { rocketChatChecks } from './rocketchat-checks.js';

/** Below these, big dev servers (webpack, Meteor) plus Traefik's watcher run out (traefik#11396). */
export const MIN_INOTIFY_WATCHES = 65_536;
export const MIN_INOTIFY_INSTANCES = 256;

async function readNumber(path: string): Promise<number | null> {
  try {
    return Number((await readFile(path, 'utf8')).trim());
  } catch {
    return null;
  }
}

export function checkInotify(watches: number | null, instances: number | null): CheckResult {
  if (watches === null || instances === null) return { name: 'inotify limits', status: 'skip', detail: 'not Linux (no /proc/sys/fs/inotify)' };
  const low = [
    watches < MIN_INOTIFY_WATCHES ? `fs.inotify.max_user_watches=${watches} (want >= ${MIN_INOTIFY_WATCHES})` : null,
    instances < MIN_INOTIFY_INSTANCES ? `fs.inotify.max_user_instances=${instances} (want >= ${MIN_INOTIFY_INSTANCES})` : null,
  ].filter((x): x is string => x !== null);
  if (low.length === 0) return { name: 'inotify limits', status: 'ok', detail: `max_user_watches=${watches}, max_user_instances=${instances}` };
  return {
    name: 'inotify limits',
    status: 'warn',
    detail: low.join('; '),
    fix: `sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512 (N dev servers with hot reload plus Traefik's file watcher need many)`,
  };
}

/** The running lb-dev's Traefik, as its `status` says (mode chosen and why). */
export interface RunningTraefik {
  mode: string;
  why: string;
}

export async function runDoctor(config: LbDevConfig, runningPid: number | null, running?: RunningTraefik): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const [major] = process.versions.node.split('.').map(Number);
  results.push(
    major !== undefined && major >= 20
      ? { name: 'Node.js', status: 'ok', detail: process.version }
      : { name: 'Node.js', status: 'fail', detail: `${process.version}; lb-dev needs >= 20.5`, fix: 'install Node.js 20 or newer' },
  );
  if (running && runningPid !== null) {
    results.push({ name: 'running lb-dev', status: 'ok', detail: `pid ${runningPid}, Traefik ${running.mode}: ${running.why}` });
  }
  results.push(...(await traefikChecks(config)));
  results.push(...(await portChecks(config, runningPid)));
  if (config.preset === 'rocketchat') results.push(...(await rocketChatChecks(config)));
  results.push(checkInotify(await readNumber('/proc/sys/fs/inotify/max_user_watches'), await readNumber('/proc/sys/fs/inotify/max_user_instances')));
  return results;
}

/** How Traefik would run: the auto choice, the Docker engine and image, or the binary. */
async function traefikChecks(config: LbDevConfig): Promise<CheckResult[]> {
  switch (config.traefik.mode) {
    case 'auto': {
      const { checkAutoChoice } = await import('./traefik/doctor-choice.js');
      return [await checkAutoChoice(config, process.env)];
    }
    case 'docker':
      return dockerChecks(config);
    case 'binary':
      return binaryChecks(config);
    case 'external':
      return [{ name: 'Traefik', status: 'skip', detail: 'mode external: you run Traefik yourself' }];
  }
}

async function dockerChecks(config: LbDevConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  try {
    const engine = await connectDocker();
    const info = await engine.engineInfo();
    const version = (await engine.docker.version()) as { ApiVersion?: string };
    results.push({
      name: 'Docker engine',
      status: 'ok',
      detail: `${info.serverVersion} (API ${version.ApiVersion ?? '?'}) on ${info.operatingSystem}, via ${engine.endpoint}`,
    });
    const network = chooseNetworkMode(config.traefik.network, { operatingSystem: info.operatingSystem, osType: info.osType, platform: process.platform });
    results.push(
      network === 'host'
        ? { name: 'networking', status: 'ok', detail: 'host networking: Traefik reaches instances at 127.0.0.1' }
        : {
            name: 'networking',
            status: 'ok',
            detail: 'bridge network with published ports: Traefik reaches instances at host.docker.internal (they must accept connections from it)',
          },
    );
    const image = config.traefik.image;
    results.push(
      (await engine.imageExists(image))
        ? { name: 'Traefik image', status: 'ok', detail: `${image} present` }
        : {
            name: 'Traefik image',
            status: 'warn',
            detail: `${image} not present; lb-dev up will try to pull it`,
            fix: 'where no registry answers: scripts/provide-traefik.sh builds and imports it',
          },
    );
  } catch (error) {
    results.push({
      name: 'Docker engine',
      status: 'fail',
      detail: [(error as Error).message, ...((error as Partial<LbDevError>).details ?? [])].join('; '),
      fix: 'start Docker (Linux: scripts/provide-docker.sh or `sudo systemctl start docker`), or use traefik.mode auto (the default), binary or external',
    });
  }
  return results;
}

async function binaryChecks(config: LbDevConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const { obtainTraefik } = await import('../adapters/traefik/obtain/obtain-traefik.js');
  try {
    const found = await obtainTraefik({
      allowDownload: false,
      allowBuild: false,
      ...(config.explicit.traefikBinary ? { configured: config.traefik.binary } : {}),
    });
    results.push({ name: 'traefik binary', status: 'ok', detail: found.why });
    const noDashboard = await missingDashboardReason(found.path);
    if (noDashboard) {
      results.push({
        name: 'Traefik dashboard',
        status: 'warn',
        detail: `built without its web UI: ${noDashboard}`,
        fix: `remove ${found.path} and run scripts/provide-traefik.sh --binary to build it again`,
      });
    }
  } catch (error) {
    const e = error as LbDevError;
    results.push(
      e.code === 'TRAEFIK_UNAVAILABLE' && config.traefik.download
        ? { name: 'traefik binary', status: 'warn', detail: 'none configured, on PATH or cached; `up` will download it (once, then cached)' }
        : { name: 'traefik binary', status: 'fail', detail: e.message, fix: e.fix },
    );
  }
  return results;
}

/** The balancer's port and (for a Traefik of ours) its API port: free, ours, or taken by what. */
async function portChecks(config: LbDevConfig, runningPid: number | null): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const mode = config.traefik.mode;
  const ports: Array<[string, number]> = [['balancer port', config.balancer.port]];
  if (mode !== 'external') ports.push(["Traefik's API port", config.traefik.apiPort]);
  for (const [name, port] of ports) {
    const address = `${hostForUrl(config.balancer.host)}:${port}`;
    if (await isPortFree(port, config.balancer.host)) results.push({ name, status: 'ok', detail: `${address} is free` });
    else if (runningPid !== null) results.push({ name, status: 'ok', detail: `${address} is in use by the running lb-dev (pid ${runningPid})` });
    else if (port === config.traefik.apiPort && !config.explicit.traefikApiPort) {
      results.push({ name, status: 'ok', detail: `${address} is in use (another lb-dev?); \`up\` takes a free port instead (traefik.apiPort is not set)` });
    } else
      results.push({
        name,
        status: 'fail',
        detail: `${address} is in use by another process`,
        fix: `find it with \`lsof -nP -iTCP:${port} -sTCP:LISTEN\`, or choose another port`,
      });
  }
  return results;
}

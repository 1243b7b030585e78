/**
 * One temp dir for `lb-dev up`: a config file with free balancer and API ports, a state dir,
 * and what can be asked about it from outside - the dynamic config on disk, Traefik's API,
 * the containers and processes marked with the state dir, client commands against it.
 * Several runs may use one workspace in turn (the run after a SIGKILLed one).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { stateLayout } from '../../../src/app/state-dir.js';
import { freePort, LOOPBACK } from '../http.js';
import { type CliResult, nodeFixture, ROOT, runCli, spawnCli, type RunningCli } from './cli.js';
import { killMarkedProcesses, removeContainers, track, untrack } from './cleanup.js';
import { killHard, markedProcesses } from './processes.js';

export const SERVICE = 'lb-dev';

export interface GroupSpec {
  /** None: the built-in demo app. */
  command?: string;
  instances?: number;
  [key: string]: unknown;
}

/** Fast instance settings for tests: quick probes and restarts, short stop grace. */
export const FAST_GROUP = {
  readiness: { http: { interval: '100ms', timeout: '500ms' }, failureThreshold: 2 },
  restart: { initialDelay: '200ms', maxDelay: '2s' },
  stopGracePeriod: '1s',
};

/**
 * One group `app` of the built-in demo app. Run from source it is `node --import <tsx>
 * server.ts`; a cwd inside the project keeps `tsx` resolvable however that loader is named.
 */
export function demoGroups(instances = 3, extra: Record<string, unknown> = {}): Record<string, GroupSpec> {
  return { app: { cwd: ROOT, instances, ...extra } };
}

export interface WorkspaceOptions {
  /** Groups (name -> settings); default one group `app` of 3 http-ok instances. */
  groups?: Record<string, GroupSpec>;
  /** Extra top-level config keys; `traefik` is merged onto { mode: 'external', apiPort: <free> }. */
  config?: Record<string, unknown>;
  /** Use this state dir (another workspace's, to meet its `up`). */
  stateDir?: string;
  /** Use this balancer port. */
  port?: number;
  /** Use this Traefik API port (traefik.apiPort). */
  apiPort?: number;
}

/** What the workspace needs of each `up` it ran, to clean up after it. */
export interface RunHandle {
  readonly pidsSeen: ReadonlySet<number>;
  kill(): Promise<void>;
  killNow(): void;
}

export class Workspace {
  readonly layout: ReturnType<typeof stateLayout>;
  private readonly runs: RunHandle[] = [];
  private cleaning: Promise<void> | null = null;

  private constructor(
    readonly dir: string,
    readonly stateDir: string,
    readonly configPath: string,
    readonly port: number,
    readonly apiPort: number,
    readonly traefikMode: string,
  ) {
    this.layout = stateLayout(stateDir);
  }

  static async create(opts: WorkspaceOptions = {}): Promise<Workspace> {
    const dir = await mkdtemp(join(tmpdir(), 'lb-dev-test-'));
    const stateDir = opts.stateDir ?? join(dir, 'state');
    const port = opts.port ?? (await freePort());
    const apiPort = opts.apiPort ?? (await freePort(LOOPBACK, [port]));
    const configPath = join(dir, 'lb-dev.config.yaml');
    const { traefik: traefikExtra, ...extra } = opts.config ?? {};
    const traefik = { mode: 'external', apiPort, ...(traefikExtra as Record<string, unknown> | undefined) };
    const groups = opts.groups ?? { app: { command: nodeFixture('http-ok.mjs'), instances: 3, ...FAST_GROUP } };
    // A free dashboard port too: the default (8079) would collide between parallel runs.
    const dashboard = { port: await freePort(LOOPBACK, [port, apiPort]) };
    await writeFile(configPath, stringify({ stateDir, balancer: { port }, traefik, dashboard, ...extra, groups }));
    const ws = new Workspace(dir, stateDir, configPath, port, apiPort, String(traefik.mode));
    track(ws);
    return ws;
  }

  get balancerUrl(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  get apiUrl(): string {
    return `http://${LOOPBACK}:${this.apiPort}`;
  }

  /** Called by each run started here, so that cleanup() ends it. */
  adopt(run: RunHandle): void {
    this.runs.push(run);
  }

  /** Runs a client command against this workspace (`--config <file>` added). */
  cli(args: string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
    return runCli([...args, '--config', this.configPath], opts);
  }

  /** Starts a client command and leaves it running (e.g. `logs -f`); killed in cleanup. */
  spawnCli(args: string[]): RunningCli {
    return spawnCli([...args, '--config', this.configPath]);
  }

  /** The dynamic config as parsed YAML, or null when the file does not exist. */
  // biome-ignore lint/suspicious/noExplicitAny: the file as parsed YAML; tests read whatever path they check.
  async dynamicConfig(): Promise<any> {
    try {
      return parse(await readFile(this.layout.dynamicFile, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Server URLs of the lb-dev service in the dynamic config (sorted); null when there is no file. */
  async serverUrls(): Promise<string[] | null> {
    const config = await this.dynamicConfig();
    if (config === null) return null;
    const servers = (config?.http?.services?.[SERVICE]?.loadBalancer?.servers ?? []) as Array<{ url: string }>;
    return servers.map((s) => s.url).sort();
  }

  /** The server URLs Traefik's API lists for the lb-dev service (sorted); null when it does not know the service. */
  async apiServers(): Promise<string[] | null> {
    const res = await fetch(`${this.apiUrl}/api/http/services/${SERVICE}@file`, { signal: AbortSignal.timeout(2_000) });
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (res.status !== 200) throw new Error(`Traefik API answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const body = (await res.json()) as { loadBalancer?: { servers?: Array<{ url?: string }> } };
    return (body.loadBalancer?.servers ?? []).map((s) => String(s.url).replace(/\/+$/, '')).sort();
  }

  /** Containers (running or not) labelled with this state dir. */
  async containers(): Promise<Array<{ id: string; name: string; state: string }>> {
    const { connectDocker, STATE_DIR_LABEL } = await import('../../../src/adapters/traefik/docker.js');
    const engine = await connectDocker();
    const found = await engine.docker.listContainers({ all: true, filters: { label: [`${STATE_DIR_LABEL}=${this.layout.root}`] } });
    return found.map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), state: c.State }));
  }

  /** Live processes carrying this state dir's marker (instances, a local traefik). */
  processes(): number[] {
    return markedProcesses(this.layout.root);
  }

  /** Kills every run and marked process at once; for the process-exit hook. */
  killNow(): void {
    for (const run of this.runs) run.killNow();
    for (const pid of this.processes()) killHard(pid);
  }

  /** Kills every run and everything they started, removes their containers and the temp dir. Never throws; safe to call twice. */
  cleanup(): Promise<void> {
    this.cleaning ??= this.removeEverything();
    return this.cleaning;
  }

  private async removeEverything(): Promise<void> {
    for (const run of this.runs) await run.kill().catch(() => undefined);
    await killMarkedProcesses(
      this.layout.root,
      this.runs.flatMap((run) => [...run.pidsSeen]),
    );
    // docker, or auto (the default, written as no mode) that may have chosen it.
    if (this.traefikMode !== 'external' && this.traefikMode !== 'binary') await removeContainers(this.layout.root);
    untrack(this);
    await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

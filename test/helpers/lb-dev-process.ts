/**
 * Runs the real `lb-dev` CLI (from source, through tsx) as child processes: `up` with a temp
 * state dir and a temp config file, plus any client command against it. Status is polled
 * over the control socket (the same `status` answer `lb-dev status --json` prints, without
 * paying tsx's ~2 s start-up per poll), the dynamic config is read from disk and parsed
 * with `yaml`, and cleanup always kills every process that carries this run's
 * LB_DEV_STATE_DIR marker, whatever the test did.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { parse, stringify } from 'yaml';
import type { StatusReport } from '../../src/app/status-report.js';
import type { InstanceStatus } from '../../src/app/instance.js';
import { stateLayout } from '../../src/app/state-dir.js';
import { ControlClient } from '../../src/control/client.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'src', 'cli', 'main.ts');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
/** tsx's loader as a file URL, so that `--import` works from any working directory. */
export const TSX = import.meta.resolve('tsx');

export const fixture = (name: string): string => join(FIXTURES, name);
/** `node <fixture>`: what most tests run as the instance command. */
export const nodeFixture = (name: string, args = ''): string => `node ${fixture(name)}${args ? ` ${args}` : ''}`;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `lb-dev <args>` to completion (killed after timeoutMs). */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
  return new Promise((resolveResult) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolveResult({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Is `pid` a live process? A zombie (exited, not yet reaped by init) counts as gone. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false; // vanished between the two checks (or no /proc): kill(0) said it was there a moment ago
  }
}

/** Live (non-zombie) pids whose environment carries LB_DEV_STATE_DIR=<stateDir>: every process an `up` started, grandchildren included. */
export function markedProcesses(stateDir: string): number[] {
  const marker = `\0LB_DEV_STATE_DIR=${stateDir}\0`;
  const found: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const environ = `\0${readFileSync(`/proc/${pid}/environ`, 'utf8')}`;
      if (environ.includes(marker) && pidAlive(pid)) found.push(pid);
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

export function killHard(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Polls `check` until it returns a truthy value or the deadline passes (then throws `what`). */
export async function waitUntil<T>(check: () => T | Promise<T>, opts: { timeoutMs?: number; intervalMs?: number; what: string | (() => string) }): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      lastError = null;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const what = typeof opts.what === 'function' ? opts.what() : opts.what;
      throw new Error(`timed out after ${opts.timeoutMs ?? 15_000}ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await sleep(opts.intervalMs ?? 50);
  }
}

export interface GroupSpec {
  command: string;
  instances?: number;
  [key: string]: unknown;
}

export interface LbDevOptions {
  /** Groups (name -> settings); default one group `app` of 3 http-ok instances. */
  groups?: Record<string, GroupSpec>;
  /** Extra top-level config keys merged in (balancer, logs, ...). */
  config?: Record<string, unknown>;
  /** Raw config file text instead of the generated one (then balancer.port etc. are up to the caller). */
  rawConfig?: string;
  /** Extra arguments to `up`. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Reuse this state dir (a second `up`, or the run after a crashed one). */
  stateDir?: string;
  /** Reuse this balancer port. */
  port?: number;
}

/** Fast instance settings for tests: quick probes and restarts, short stop grace. */
export const FAST_GROUP = {
  readiness: { http: { interval: '100ms', timeout: '500ms' }, failureThreshold: 2 },
  restart: { initialDelay: '200ms', maxDelay: '2s' },
  stopGracePeriod: '1s',
};

export class LbDevRun {
  readonly layout: ReturnType<typeof stateLayout>;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitCode: number | null | undefined = undefined;
  private out = '';
  private readonly pidsSeen = new Set<number>();

  private constructor(
    readonly dir: string,
    readonly stateDir: string,
    readonly configPath: string,
    readonly port: number,
    readonly apiPort: number,
    extraArgs: string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.layout = stateLayout(stateDir);
    this.child = spawn(process.execPath, ['--import', TSX, CLI, 'up', '--config', configPath, '--traefik', 'external', ...extraArgs], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (c: Buffer) => {
      this.out += c.toString('utf8');
      if (this.out.length > 256_000) this.out = this.out.slice(-128_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((r) => this.child.once('exit', (code, signal) => {
      this.exitCode = code;
      r({ code, signal });
    }));
  }

  /** Writes the config and starts `lb-dev up --config <file> --traefik external`. */
  static async start(opts: LbDevOptions = {}): Promise<LbDevRun> {
    const dir = await mkdtemp(join(tmpdir(), 'lbdt-'));
    const stateDir = opts.stateDir ?? join(dir, 'state');
    const port = opts.port ?? await getPort({ host: '127.0.0.1' });
    const apiPort = await getPort({ host: '127.0.0.1', exclude: [port] });
    const configPath = join(dir, 'lb-dev.config.yaml');
    const groups = opts.groups ?? { app: { command: nodeFixture('http-ok.mjs'), instances: 3, ...FAST_GROUP } };
    const config = {
      stateDir,
      balancer: { port },
      traefik: { mode: 'external', apiPort },
      ...opts.config,
      groups,
    };
    await writeFile(configPath, opts.rawConfig ?? stringify(config));
    const run = new LbDevRun(dir, stateDir, configPath, port, apiPort, opts.args ?? [], opts.env ?? {});
    runs.add(run);
    return run;
  }

  output(): string {
    return this.out;
  }

  tail(chars = 3000): string {
    return this.out.slice(-chars);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The `status` answer over the control socket. */
  async status(): Promise<StatusReport> {
    const report = await this.call<StatusReport>('status');
    for (const i of report.instances) if (i.pid) this.pidsSeen.add(i.pid);
    return report;
  }

  /** One control request on a fresh connection (what each CLI command does, without its start-up time). */
  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.exitCode !== undefined) throw new Error(`lb-dev up exited (${this.exitCode}):\n${this.tail()}`);
    const client = await ControlClient.connect(this.layout.socket, this.layout.root);
    try {
      return await client.call<T>(method, params);
    } finally {
      client.close();
    }
  }

  /** Polls status until `check(report)` is truthy. */
  async waitFor<T>(check: (report: StatusReport) => T, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
    let last: StatusReport | null = null;
    return waitUntil(async () => {
      last = await this.status();
      return check(last);
    }, {
      timeoutMs,
      intervalMs: 50,
      what: () => `${what}; last status: ${JSON.stringify(last?.instances.map(brief))}\n--- up output ---\n${this.tail()}`,
    });
  }

  /** Waits until the control socket answers and the instances exist. */
  waitStarted(timeoutMs = 20_000): Promise<StatusReport> {
    return this.waitFor((r) => (r.instances.length > 0 ? r : null), 'up to answer on its control socket', timeoutMs);
  }

  /** Waits until every instance is ready and the written routes list them all. */
  waitAllReady(count: number, timeoutMs = 20_000): Promise<StatusReport> {
    return this.waitFor((r) => {
      const ready = r.instances.filter((i) => i.state === 'ready' && i.inBalancer);
      return r.instances.length === count && ready.length === count && r.routes.written.length === count ? r : null;
    }, `${count} instances ready and routed`, timeoutMs);
  }

  instance(report: StatusReport, name: string): InstanceStatus {
    const found = report.instances.find((i) => i.name === name);
    if (!found) throw new Error(`no ${name} in status: ${report.instances.map((i) => i.name).join(', ')}`);
    return found;
  }

  /** The dynamic config as parsed YAML, or null when the file does not exist. */
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
    const servers = (config?.http?.services?.['lb-dev']?.loadBalancer?.servers ?? []) as Array<{ url: string }>;
    return servers.map((s) => s.url).sort();
  }

  /** Runs a client command against this run (`--config <file>` added). */
  cli(args: string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
    return runCli([...args, '--config', this.configPath], opts);
  }

  /** Starts a client command and leaves it running (e.g. `logs -f`); killed in cleanup. */
  spawnCli(args: string[]): ChildProcess & { stdoutText: () => string } {
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args, '--config', this.configPath], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }) as ChildProcess & { stdoutText: () => string };
    let text = '';
    child.stdout!.on('data', (c: Buffer) => { text += c.toString('utf8'); });
    child.stderr!.on('data', (c: Buffer) => { text += c.toString('utf8'); });
    child.stdoutText = () => text;
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Waits for `up` to exit (SIGKILLs it after timeoutMs). */
  async waitExit(timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every live process this run started (by the LB_DEV_STATE_DIR marker). */
  leftovers(): number[] {
    return markedProcesses(this.layout.root);
  }

  /** Kills `up` and everything it started; removes the temp dir. Safe to call twice. */
  async cleanup(): Promise<void> {
    if (this.exitCode === undefined) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    for (const pid of this.pidsSeen) killHard(pid);
    for (let i = 0; i < 3; i++) {
      const left = this.leftovers();
      if (left.length === 0) break;
      for (const pid of left) killHard(pid);
      await sleep(100);
    }
    runs.delete(this);
    await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function brief(i: InstanceStatus) {
  return { name: i.name, state: i.state, pid: i.pid, port: i.port, inBalancer: i.inBalancer, restarts: i.restarts, crashes: i.crashesInARow };
}

const runs = new Set<LbDevRun>();
const children = new Set<ChildProcess>();

// Last resort when a test file ends without its after() hooks (an uncaught error, a timeout):
// kill synchronously whatever is still around.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const run of runs) {
    run.child.kill('SIGKILL');
    for (const pid of run.leftovers()) killHard(pid);
  }
});

/** For `after()`: cleans up every run and client child still around. */
export async function cleanupAll(): Promise<void> {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await Promise.all([...runs].map((run) => run.cleanup()));
}

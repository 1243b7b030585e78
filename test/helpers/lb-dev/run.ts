/**
 * One `lb-dev up` process, run from source through tsx, in a Workspace: its output, its
 * status polled over the control socket (the answer `lb-dev status --json` prints, without
 * paying tsx's ~2 s start-up per poll), signals, and its exit.
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { InstanceStatus } from '../../../src/app/instance.js';
import type { StatusReport } from '../../../src/app/status-report.js';
import { ControlClient } from '../../../src/control/client.js';
import { waitUntil } from '../wait.js';
import { type CliResult, type RunningCli, spawnLbDev } from './cli.js';
import { briefStatus, instanceOf } from './status.js';
import { type RunHandle, Workspace, type WorkspaceOptions } from './workspace.js';

/** Generous: a loaded 2-core machine starting three tsx processes and a container. */
export const READY_TIMEOUT_MS = 90_000;

export interface RunOptions {
  /** Extra arguments to `up`. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Run the built CLI (dist/) instead of the sources. */
  built?: boolean;
  /** Run it through `npm run lb:dev` (the child is npm's process). */
  npmScript?: boolean;
  /** Run it through the workspace's own package.json script (`lb:dev`) with this package manager, in the workspace dir. */
  script?: { command: string; args: readonly string[] };
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };

export class LbDevRun implements RunHandle {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  /** performance.now() when `up` was spawned. */
  readonly startedAt = performance.now();
  /** Set once `up` has exited. */
  exit: Exit | undefined;
  /** Every instance pid a status answer named: killed in cleanup even if its marker was lost. */
  readonly pidsSeen = new Set<number>();
  private out = '';

  private constructor(
    readonly ws: Workspace,
    opts: RunOptions,
  ) {
    this.child = spawnLbDev(['up', '--config', ws.configPath, ...(opts.args ?? [])], {
      ...(opts.env ? { env: opts.env } : {}),
      built: opts.built === true,
      npmScript: opts.npmScript === true,
      ...(opts.script ? { script: opts.script, cwd: ws.dir } : {}),
    });
    const keep = (c: Buffer) => {
      this.out += c.toString('utf8');
      if (this.out.length > 512_000) this.out = this.out.slice(-256_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  /** Writes a workspace (temp dir, config) and starts `lb-dev up --config <file>` in it. */
  static async start(opts: WorkspaceOptions & RunOptions = {}): Promise<LbDevRun> {
    return LbDevRun.startIn(await Workspace.create(opts), opts);
  }

  /** Starts `lb-dev up` in an existing workspace (e.g. after an earlier run there was killed). */
  static startIn(ws: Workspace, opts: RunOptions = {}): LbDevRun {
    const run = new LbDevRun(ws, opts);
    ws.adopt(run);
    return run;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get layout(): Workspace['layout'] {
    return this.ws.layout;
  }

  get stateDir(): string {
    return this.ws.stateDir;
  }

  get port(): number {
    return this.ws.port;
  }

  output(): string {
    return this.out;
  }

  /** The last lines of `up`'s output, without the demo instances' own chatter. */
  tail(lines = 40): string {
    return this.out
      .split('\n')
      .filter((l) => !/^app-\d+\s+\|/.test(l))
      .slice(-lines)
      .join('\n');
  }

  /** The `status` answer over the control socket. */
  async status(): Promise<StatusReport> {
    const report = await this.call<StatusReport>('status');
    for (const i of report.instances) if (i.pid) this.pidsSeen.add(i.pid);
    return report;
  }

  /** One control request on a fresh connection (what each CLI command does, without its start-up time). */
  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.exit) throw new Error(`lb-dev up exited (${JSON.stringify(this.exit)}):\n${this.tail()}`);
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
    return waitUntil(
      async () => {
        last = await this.status();
        return check(last);
      },
      {
        timeoutMs,
        intervalMs: 50,
        what: () => `${what}; last status: ${briefStatus(last)}\n--- up output ---\n${this.tail()}`,
      },
    );
  }

  /** Waits until the control socket answers and the instances exist. */
  waitStarted(timeoutMs = 20_000): Promise<StatusReport> {
    return this.waitFor((r) => (r.instances.length > 0 ? r : null), 'up to answer on its control socket', timeoutMs);
  }

  /** Waits until every instance is ready and the written routes list them all. */
  waitAllReady(count: number, timeoutMs = 20_000): Promise<StatusReport> {
    return this.waitFor((r) => (allReady(r, count) ? r : null), `${count} instances ready and routed`, timeoutMs);
  }

  /** Every instance ready and routed, and the routes confirmed by Traefik's API (docker and binary modes). */
  waitAllConfirmed(count: number, timeoutMs = READY_TIMEOUT_MS): Promise<StatusReport> {
    return this.waitFor((r) => (allReady(r, count) && r.routes.confirmed === true ? r : null), `${count} instances ready, routed and confirmed`, timeoutMs);
  }

  instance(report: StatusReport, name: string): InstanceStatus {
    return instanceOf(report, name);
  }

  cli(args: string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
    return this.ws.cli(args, opts);
  }

  spawnCli(args: string[]): RunningCli {
    return this.ws.spawnCli(args);
  }

  serverUrls(): Promise<string[] | null> {
    return this.ws.serverUrls();
  }

  /** Every live process carrying the state dir's marker. */
  leftovers(): number[] {
    return this.ws.processes();
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.exit) this.child.kill(signal);
  }

  /** Waits for `up` to exit; SIGKILLs it and fails after timeoutMs. */
  async waitExit(timeoutMs = 20_000): Promise<Exit> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.child.kill('SIGKILL');
    }, timeoutMs);
    try {
      const exit = await this.exited;
      if (timedOut) throw new Error(`lb-dev up did not exit within ${timeoutMs} ms (killed it):\n${this.tail()}`);
      return exit;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILLs `up` itself (not what it started) and waits for it to go. */
  async kill(): Promise<void> {
    this.killNow();
    await this.exited;
  }

  killNow(): void {
    if (!this.exit) this.child.kill('SIGKILL');
  }

  /** Kills `up` and everything its workspace started; removes the temp dir. Safe to call twice. */
  cleanup(): Promise<void> {
    return this.ws.cleanup();
  }
}

function allReady(report: StatusReport, count: number): boolean {
  const ready = report.instances.filter((i) => i.state === 'ready' && i.inBalancer);
  return report.instances.length === count && ready.length === count && report.routes.written.length === count;
}

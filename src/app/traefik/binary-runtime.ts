/**
 * `--traefik binary`: a local traefik executable with the same static config, supervised
 * like an instance: its exit is shown as an error and it is restarted with backoff.
 */
import { existsSync } from 'node:fs';
import { LbDevError } from '../../core/errors.js';
import { formatElapsed } from '../../core/text/duration.js';
import { shellQuote } from '../../core/text/shell-quote.js';
import { restartDelayMs } from '../../core/instance/backoff.js';
import { assertCommandExists } from '../../adapters/process/command-check.js';
import { type RunningProcess, spawnCommand } from '../../adapters/process/spawn-command.js';
import type { RuntimeContext } from './create-runtime.js';
import type { TraefikRuntime } from './runtime.js';
import { hostPaths, writeStaticConfig } from './static-file.js';
import { waitForTraefik } from './wait-for-traefik.js';

export class BinaryTraefikRuntime implements TraefikRuntime {
  readonly mode = 'binary' as const;
  readonly backendHost = '127.0.0.1';
  readonly apiUrl: string;
  private process: RunningProcess | null = null;
  private stopping = false;
  private crashes = 0;
  private restartTimer: NodeJS.Timeout | null = null;

  private constructor(private readonly ctx: RuntimeContext) {
    this.apiUrl = `http://127.0.0.1:${ctx.config.traefik.apiPort}`;
  }

  static async create(ctx: RuntimeContext): Promise<BinaryTraefikRuntime> {
    const binary = ctx.config.traefik.binary;
    try {
      assertCommandExists(binary.includes(' ') ? shellQuote(binary) : binary, process.cwd(), process.env.PATH, 'traefik.binary');
    } catch {
      throw new LbDevError('TRAEFIK_BINARY_MISSING', `expected a traefik executable at traefik.binary = ${JSON.stringify(binary)}${binary.includes('/') ? (existsSync(binary) ? ' (not executable)' : ' (no such file)') : ' on PATH'}, found none`);
    }
    return new BinaryTraefikRuntime(ctx);
  }

  describe(): string {
    return `${this.ctx.config.traefik.binary} (local binary), API ${this.apiUrl}`;
  }

  async start(onProgress: (message: string) => void): Promise<void> {
    const { config, layout } = this.ctx;
    await writeStaticConfig(config, layout, hostPaths(config, layout));
    this.spawn();
    try {
      await waitForTraefik(this.apiUrl, () => this.ctx.logs.recent(['traefik'], 15).map((l) => l.text), () => this.process !== null);
    } catch (error) {
      await this.stop();
      throw error;
    }
    onProgress(`Traefik is up (pid ${this.process?.pid})`);
  }

  private spawn(): void {
    const { config, layout, logs } = this.ctx;
    const command = `${shellQuote(config.traefik.binary)} --configFile=${shellQuote(layout.staticFile)}`;
    const output = { stdout: logs.lineWriter('traefik', 'stdout'), stderr: logs.lineWriter('traefik', 'stderr') };
    const child = spawnCommand({
      command,
      cwd: layout.root,
      env: { ...process.env as Record<string, string>, LB_DEV_STATE_DIR: layout.root },
      onOutput: (stream, chunk) => output[stream].write(chunk),
    });
    this.process = child;
    if (child.pid > 0) this.ctx.lifeline?.watchGroup(child.pid);
    const startedAt = Date.now();
    void child.exited.then((exit) => {
      output.stdout.end();
      output.stderr.end();
      // traefik is exec'd as the group's only process: its exit empties the group.
      if (child.pid > 0) this.ctx.lifeline?.forgetGroup(child.pid);
      if (this.process === child) this.process = null;
      if (this.stopping) return;
      this.crashes = Date.now() - startedAt > 60_000 ? 1 : this.crashes + 1;
      const delay = restartDelayMs({ enabled: true, initialDelayMs: 500, maxDelayMs: 15_000, multiplier: 2, jitter: 0.2, resetAfterMs: 60_000 }, this.crashes, Math.random());
      logs.event('traefik', `ERROR: traefik ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}; the balancer is down; restarting it in ${formatElapsed(delay)}`);
      this.restartTimer = setTimeout(() => this.spawn(), delay);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.process;
    this.process = null;
    await child?.stop(3_000);
  }
}

/**
 * `--traefik binary`: a local traefik executable with the same static config. Its exit is
 * reported through downReason()/onDown; the supervision (traefik-service.ts) restarts it with backoff.
 */
import { existsSync } from 'node:fs';
import { LbDevError } from '../../core/errors.js';
import { shellQuote } from '../../core/text/shell-quote.js';
import { assertCommandExists } from '../../adapters/process/command-check.js';
import type { RunningProcess } from '../../adapters/process/spawn-command.js';
import { spawnService } from '../spawn-service.js';
import type { RuntimeContext, TraefikRuntime } from './runtime.js';
import { hostPaths, writeStaticConfig } from './static-file.js';
import { waitForTraefik } from './wait-for-traefik.js';

export class BinaryTraefikRuntime implements TraefikRuntime {
  readonly mode = 'binary' as const;
  readonly backendHost = '127.0.0.1';
  readonly apiUrl: string;
  onDown: (() => void) | undefined;
  private process: RunningProcess | null = null;
  private stopping = false;
  private down: string | null = null;

  private constructor(private readonly ctx: RuntimeContext) {
    this.apiUrl = `http://127.0.0.1:${ctx.config.traefik.apiPort}`;
  }

  static async create(ctx: RuntimeContext): Promise<BinaryTraefikRuntime> {
    const binary = ctx.config.traefik.binary;
    try {
      assertCommandExists(binary.includes(' ') ? shellQuote(binary) : binary, process.cwd(), process.env.PATH, 'traefik.binary');
    } catch {
      throw new LbDevError(
        'TRAEFIK_BINARY_MISSING',
        `expected a traefik executable at traefik.binary = ${JSON.stringify(binary)}${binary.includes('/') ? (existsSync(binary) ? ' (not executable)' : ' (no such file)') : ' on PATH'}, found none`,
      );
    }
    return new BinaryTraefikRuntime(ctx);
  }

  describe(): string {
    return `${this.ctx.config.traefik.binary} (local binary), API ${this.apiUrl}`;
  }

  downReason(): string | null {
    return this.down;
  }

  async start(onProgress: (message: string) => void): Promise<void> {
    const { config, layout } = this.ctx;
    this.stopping = false;
    this.down = null;
    await writeStaticConfig(config, layout, hostPaths(config, layout));
    this.spawn();
    try {
      await waitForTraefik(
        this.apiUrl,
        () => this.ctx.logs.recent(['traefik'], 15).map((l) => l.text),
        () => this.process !== null,
      );
    } catch (error) {
      await this.stop();
      throw error;
    }
    onProgress(`Traefik is up (pid ${this.process?.pid})`);
  }

  private spawn(): void {
    const { config, layout, logs } = this.ctx;
    const command = `${shellQuote(config.traefik.binary)} --configFile=${shellQuote(layout.staticFile)}`;
    const child = spawnService({ command, cwd: layout.root, stateDir: layout.root, logs, source: 'traefik', lifeline: this.ctx.lifeline });
    this.process = child;
    void child.exited.then((exit) => {
      if (this.process !== child) return;
      this.process = null;
      if (this.stopping) return;
      this.down = `traefik ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}${exit.spawnError ? ` (${exit.spawnError})` : ''}`;
      this.onDown?.();
    });
  }

  async stop(now = false): Promise<void> {
    this.stopping = true;
    const child = this.process;
    this.process = null;
    await child?.stop(now ? 0 : 3_000);
  }
}

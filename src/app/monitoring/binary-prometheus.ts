/** Prometheus as a local executable (Debian's `prometheus` package, or monitoring.binary). */
import { join } from 'node:path';
import { prometheusFlags } from '../../core/monitoring/prometheus.js';
import { shellQuote } from '../../core/text/shell-quote.js';
import type { RunningProcess } from '../../adapters/process/spawn-command.js';
import { spawnService } from '../spawn-service.js';
import { LOG_SOURCE, type PrometheusContext, type PrometheusProcess } from './prometheus-process.js';

export class BinaryPrometheus implements PrometheusProcess {
  readonly scrapeHost = '127.0.0.1';
  private process: RunningProcess | null = null;
  private stopping = false;
  private down: string | null = null;
  onDown: (() => void) | undefined;

  constructor(private readonly ctx: PrometheusContext) {}

  describe(): string {
    return `${this.ctx.config.monitoring.binary} (local binary)`;
  }

  async start(dir: string): Promise<void> {
    const { config, layout, logs, port } = this.ctx;
    const flags = prometheusFlags({ configFile: join(dir, 'prometheus.yml'), storageDir: join(dir, 'data'), listenAddress: `127.0.0.1:${port}` });
    const child = spawnService({
      command: [config.monitoring.binary, ...flags].map(shellQuote).join(' '),
      cwd: dir,
      stateDir: layout.root,
      logs,
      source: LOG_SOURCE,
      lifeline: this.ctx.lifeline,
    });
    this.process = child;
    this.stopping = false;
    this.down = null;
    void child.exited.then((exit) => {
      if (this.process !== child) return;
      this.process = null;
      if (this.stopping) return;
      this.down = `Prometheus ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}${exit.spawnError ? ` (${exit.spawnError})` : ''}`;
      this.onDown?.();
    });
  }

  downReason(): string | null {
    return this.down;
  }

  running(): boolean {
    return this.process !== null;
  }

  async stop(now = false): Promise<void> {
    this.stopping = true;
    const child = this.process;
    this.process = null;
    await child?.stop(now ? 0 : 5_000);
  }
}

/** Prometheus as a local executable (Debian's `prometheus` package, or monitoring.binary). */
import { join } from 'node:path';
import { prometheusFlags } from '../../core/monitoring/prometheus.js';
import { shellQuote } from '../../core/text/shell-quote.js';
import { type RunningProcess, spawnCommand } from '../../adapters/process/spawn-command.js';
import { LOG_SOURCE, type PrometheusContext, type PrometheusProcess } from './prometheus-runtime.js';

export class BinaryPrometheus implements PrometheusProcess {
  readonly scrapeHost = '127.0.0.1';
  private process: RunningProcess | null = null;
  private stopping = false;

  constructor(private readonly ctx: PrometheusContext) {}

  describe(): string {
    return `${this.ctx.config.monitoring.binary} (local binary)`;
  }

  async start(dir: string): Promise<void> {
    const { config, layout, logs, port } = this.ctx;
    const flags = prometheusFlags({ configFile: join(dir, 'prometheus.yml'), storageDir: join(dir, 'data'), listenAddress: `127.0.0.1:${port}` });
    const output = { stdout: logs.lineWriter(LOG_SOURCE, 'stdout'), stderr: logs.lineWriter(LOG_SOURCE, 'stderr') };
    const child = spawnCommand({
      command: [config.monitoring.binary, ...flags].map(shellQuote).join(' '),
      cwd: dir,
      // The marker lets the next `up` on this state dir stop it if this supervisor dies.
      env: { ...process.env as Record<string, string>, LB_DEV_STATE_DIR: layout.root },
      onOutput: (stream, chunk) => output[stream].write(chunk),
      onOutputEnd: (stream) => output[stream].end(),
    });
    this.process = child;
    if (child.pid > 0) this.ctx.lifeline?.watchGroup(child.pid);
    void child.exited.then((exit) => {
      // Prometheus is exec'd as the group's only process: its exit empties the group.
      if (child.pid > 0) this.ctx.lifeline?.forgetGroup(child.pid);
      if (this.process === child) this.process = null;
      if (!this.stopping) logs.event(LOG_SOURCE, `Prometheus ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}; monitoring is off until lb-dev restarts`);
    });
  }

  running(): boolean {
    return this.process !== null;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.process;
    this.process = null;
    await child?.stop(5_000);
  }
}

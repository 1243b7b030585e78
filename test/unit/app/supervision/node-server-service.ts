/**
 * A stand-in service for the supervision tests: a real child process (test/fixtures/http-ok.mjs,
 * a node HTTP server that answers /-/ready like Prometheus) on a port of its own. Its start waits
 * until it answers; `failStarts` makes the next starts run exit-immediately.mjs instead.
 */
import { LbDevError } from '../../../../src/core/errors.js';
import { pollUntil } from '../../../../src/adapters/poll.js';
import { type RunningProcess, spawnCommand } from '../../../../src/adapters/process/spawn-command.js';
import type { ProbeResult, ServiceSpec } from '../../../../src/app/supervision/service.js';
import { nodeFixture } from '../../../helpers/lb-dev/cli.js';

export class NodeServerService implements ServiceSpec {
  readonly name = 'standin';
  readonly label = 'Stand-in';
  readonly impact = 'nothing answers';
  onDown: (() => void) | undefined;
  /** Every process started, in order, with when. */
  readonly spawns: Array<{ pid: number; at: number }> = [];
  failStarts = 0;
  private process: RunningProcess | null = null;
  private stopping = false;
  private down: string | null = null;

  /** `script`: another fixture to run (slow-start.mjs), with `env`. */
  constructor(
    readonly port: number,
    private readonly run: { script?: string; env?: Record<string, string> } = {},
  ) {}

  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  describe(): string {
    return `node on 127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.down = null;
    const failing = this.failStarts > 0;
    if (failing) this.failStarts--;
    const child = spawnCommand({
      command: nodeFixture(failing ? 'exit-immediately.mjs' : (this.run.script ?? 'http-ok.mjs')),
      cwd: process.cwd(),
      env: { ...(process.env as Record<string, string>), ...this.run.env, PORT: String(this.port) },
      onOutput: () => {},
    });
    this.process = child;
    this.spawns.push({ pid: child.pid, at: Date.now() });
    let exited = false;
    void child.exited.then((exit) => {
      exited = true;
      if (this.process !== child) return;
      this.process = null;
      if (this.stopping) return;
      this.down = `the stand-in ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}`;
      this.onDown?.();
    });
    const { outcome } = await pollUntil(async () => exited || (await this.probe()).ok, { timeoutMs: 10_000, intervalMs: 25 });
    if (outcome !== 'met' || exited) {
      await this.stop();
      throw new LbDevError('PROMETHEUS_START_FAILED', 'expected the stand-in to answer /-/ready, it exited during start-up');
    }
  }

  async stop(now?: boolean): Promise<void> {
    this.stopping = true;
    const child = this.process;
    this.process = null;
    await child?.stop(now ? 0 : 2_000);
  }

  downReason(): string | null {
    return this.down;
  }

  async probe(): Promise<ProbeResult> {
    try {
      const answer = await fetch(`http://127.0.0.1:${this.port}/-/ready`, { signal: AbortSignal.timeout(300) });
      return answer.ok ? { ok: true } : { ok: false, reason: `/-/ready answered ${answer.status}` };
    } catch (error) {
      return { ok: false, reason: `no answer from /-/ready (${(error as Error).message})` };
    }
  }
}

/**
 * The dashboard's chaos on/off: at most one chaos loop (src/app/chaos.ts) at a time, killing
 * through the same `kill` operation as the CLI. Its steps go to the timeline.
 */
import { type ChaosEvent, type ChaosOptions, runChaos } from '../chaos.js';
import type { Operations } from '../operations/contract.js';
import { invoke } from '../operations/invoke.js';
import type { Supervisor } from '../supervisor.js';

export class ChaosSwitch {
  private running: { options: ChaosOptions; stop: AbortController; done: Promise<number> } | null = null;
  private kills = 0;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly operations: Pick<Operations, 'kill'>,
    private readonly onEvent: (event: ChaosEvent) => void,
  ) {}

  status(): { on: boolean; intervalMs: number | null; keep: number | null; signal: string | null; kills: number } {
    const options = this.running?.options;
    return {
      on: this.running !== null,
      intervalMs: options?.intervalMs ?? null,
      keep: options?.keep ?? null,
      signal: options?.signal ?? null,
      kills: this.kills,
    };
  }

  /** Starts chaos, or restarts it with new settings. */
  async on(options: ChaosOptions): Promise<void> {
    await this.off();
    const stop = new AbortController();
    this.kills = 0;
    const done = runChaos(
      options,
      {
        instances: async () => this.supervisor.status(),
        kill: (instance, signal) => invoke(this.operations, 'kill', { instance, signal, by: 'dashboard-chaos' }),
      },
      stop.signal,
      (event) => {
        if (event.event === 'kill') this.kills++;
        this.onEvent(event);
      },
    ).catch((error: Error) => {
      this.onEvent({ event: 'skip', reason: `chaos stopped: ${error.message}` });
      if (this.running?.stop === stop) this.running = null;
      return this.kills;
    });
    this.running = { options, stop, done };
  }

  async off(): Promise<void> {
    const running = this.running;
    this.running = null;
    if (!running) return;
    running.stop.abort();
    await running.done;
  }
}

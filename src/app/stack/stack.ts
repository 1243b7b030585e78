/**
 * The parts of `up` in their declared order: started one after the other, and the started ones
 * stopped in reverse by stop(), the one routine every path takes (Ctrl-C, an error, `down`, a
 * start that failed part-way). A part whose stop throws does not keep the others running: each
 * is stopped, and the failures are reported and remembered (the lifeline then stays armed).
 */
import type { Part, PartStatus } from './part.js';

export interface StackOptions {
  /** Told of each stop that threw; the stack goes on with the next part. */
  onStopFailed: (part: string, error: Error) => void;
}

export class Stack {
  private readonly started: Part[] = [];
  private stopping: Promise<void> | null = null;
  private stopFailures = 0;

  constructor(
    private readonly parts: readonly Part[],
    private readonly opts: StackOptions,
  ) {}

  /**
   * Starts every part in order; on a failure stops the started ones (and the one that failed)
   * and rethrows. `goOn` is asked before each part: a shutdown asked for during start-up
   * (Ctrl-C while Traefik starts) starts nothing more. Resolves false when it stopped early.
   */
  async start(goOn: () => boolean = () => true): Promise<boolean> {
    for (const part of this.parts) {
      if (!goOn() || this.stopping) return false;
      // Pushed before start(): a part that fails part-way is stopped too (stop is safe then).
      this.started.push(part);
      try {
        await part.start();
      } catch (error) {
        await this.stop();
        throw error;
      }
    }
    return true;
  }

  /** Stops the started parts in reverse order, once; later calls wait for the same stop. */
  stop(): Promise<void> {
    this.stopping ??= this.stopInReverse();
    return this.stopping;
  }

  /** True while no part's stop has failed: what the lifeline asks before it stands down. */
  stoppedCleanly(): boolean {
    return this.stopFailures === 0;
  }

  status(): PartStatus[] {
    return this.parts.map((part) => part.status());
  }

  private async stopInReverse(): Promise<void> {
    for (const part of this.started.splice(0).reverse()) {
      try {
        await part.stop();
      } catch (error) {
        this.stopFailures++;
        this.opts.onStopFailed(part.name, error as Error);
      }
    }
  }
}

/**
 * The lifeline: from its start on, whatever kills `up`, the watchdog removes what `up` started
 * (src/adapters/process/lifeline.ts), escapees included (by the run's marker). Then run.json,
 * and the sweep of what an earlier run on this state dir left when its supervisor was killed:
 * those still hold ports the next parts check. Stopped last but for the socket: it sweeps the
 * run's marker (what left every tree and outlived its instance's stop), and only when every
 * other part stopped cleanly does the watchdog stand down; otherwise it removes what is left
 * once `up` exits.
 */
import { rm } from 'node:fs/promises';
import { runMarker } from '../../core/process-marker.js';
import { stopLeftovers, stopMarkedGroups } from '../../adapters/process/leftovers.js';
import { type Lifeline, startLifeline } from '../../adapters/process/lifeline.js';
import { writeOwnerOnly } from '../state-dir.js';
import type { Part, PartStatus } from '../stack/part.js';
import { type UpContext, started } from './context.js';

export class LifelinePart implements Part {
  readonly name = 'lifeline';
  private lifeline: Lifeline | null = null;
  private runFileWritten = false;

  /** `othersStoppedCleanly` is asked at stop: the stack's verdict on the parts stopped before this one. */
  constructor(
    private readonly ctx: UpContext,
    private readonly othersStoppedCleanly: () => boolean,
  ) {}

  /** What spawns processes and containers reports them to. */
  get watch(): Lifeline {
    return started(this.lifeline, 'the lifeline');
  }

  async start(): Promise<void> {
    const { layout, log, url, startedAt } = this.ctx;
    this.lifeline = await startLifeline({ stateDir: layout.root, runId: this.ctx.runId, log });
    const record = { pid: process.pid, startedAt, url, lifelinePid: this.lifeline.pid };
    await writeOwnerOnly(layout.runFile, JSON.stringify(record, null, 2));
    this.runFileWritten = true;
    // Safe here: the control socket already refused to start next to a live `up`.
    const leftovers = await stopLeftovers(layout.root, 2_000);
    if (leftovers.length) {
      log.warn(`stopped ${leftovers.length} process group(s) left by an earlier lb-dev that did not shut down cleanly`);
    }
  }

  async stop(): Promise<void> {
    // Every instance stopped has swept its own: what is found here escaped during a stop or an instance that failed to stop.
    const escaped = await stopMarkedGroups(this.runMarker, 2_000);
    if (escaped.length) this.ctx.log.warn(`stopped ${escaped.length} process group(s) of this run that had left their instance's tree`);
    if (this.runFileWritten) await rm(this.ctx.layout.runFile, { force: true });
    this.runFileWritten = false;
    if (this.othersStoppedCleanly()) await this.lifeline?.release();
  }

  private get runMarker(): string[] {
    return runMarker(this.ctx.layout.root, this.ctx.runId);
  }

  status(): PartStatus {
    const pid = this.lifeline?.pid;
    return { name: this.name, health: pid ? 'healthy' : 'stopped', detail: pid ? `watchdog pid ${pid}` : 'not started', restarts: 0 };
  }
}

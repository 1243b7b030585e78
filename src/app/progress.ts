/**
 * Start-up progress: while instances start (dev builds take minutes), say every few seconds
 * which are still starting and which are ready, with elapsed times.
 */
import { formatElapsed } from '../core/text/duration.js';
import type { InstanceStatus } from './instance.js';

export function progressLine(instances: InstanceStatus[], now: number): string {
  const parts = instances.map((i) => {
    switch (i.state) {
      case 'ready':
        return `${i.name} ready${i.readyAt !== null && i.startedAt !== null ? ` (${formatElapsed(i.readyAt - i.startedAt)})` : ''}`;
      case 'starting':
        return `${i.name} starting ${i.startedAt !== null ? formatElapsed(now - i.startedAt) : ''}`.trim();
      case 'crashed':
        return `${i.name} crashed (restart ${i.nextRestartAt !== null ? `in ${formatElapsed(Math.max(0, i.nextRestartAt - now))}` : 'pending'})`;
      default:
        return `${i.name} ${i.state}`;
    }
  });
  const ready = instances.filter((i) => i.state === 'ready').length;
  return `${ready}/${instances.length} ready: ${parts.join(', ')}`;
}

export class StartupProgress {
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt = Date.now();
  private announced = false;

  constructor(
    private readonly snapshot: () => InstanceStatus[],
    private readonly say: (text: string) => void,
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  /** Call on every change: announces "all ready" once. */
  update(): void {
    if (this.announced) return;
    const all = this.snapshot();
    if (all.length > 0 && all.every((i) => i.state === 'ready')) {
      this.announced = true;
      this.say(`all ${all.length} instances ready after ${formatElapsed(Date.now() - this.startedAt)}`);
      this.stop();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    if (this.announced) return;
    this.say(progressLine(this.snapshot(), Date.now()));
  }
}

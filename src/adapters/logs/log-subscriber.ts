/**
 * One follower of a LogHub (`lb-dev logs -f` over the control socket). It has its own
 * bounded queue: the hub only offers lines, and a reader that cannot keep up loses new
 * lines (counted) instead of slowing the hub or growing memory — the way
 * process-compose treats a full subscriber.
 */
import { BoundedQueue } from './bounded-queue.js';
import type { LogLine } from './log-line.js';

/**
 * Receives each line. Returning a promise (e.g. until a socket's 'drain') holds back
 * the next line until it settles; meanwhile lines queue, then drop. Throwing or
 * rejecting ends the subscription.
 */
export type LogListener = (line: LogLine) => void | Promise<void>;

export interface LogSubscription {
  unsubscribe(): void;
  /** Lines this subscriber lost because its queue was full. */
  dropped(): number;
}

export const DEFAULT_MAX_QUEUED = 10_000;
/** Time one subscriber may spend delivering per event-loop turn, so it cannot hog the loop. */
const DELIVER_MS_PER_TURN = 5;

export class LogSubscriber implements LogSubscription {
  private readonly queue: BoundedQueue<LogLine>;
  private droppedCount = 0;
  private scheduled = false;
  /** A delivery is running (possibly waiting on the listener's promise). */
  private delivering = false;
  private closed = false;

  constructor(
    readonly sources: ReadonlySet<string> | null,
    private readonly listener: LogListener,
    maxQueued: number,
    private readonly onClose: (subscriber: LogSubscriber) => void,
  ) {
    this.queue = new BoundedQueue<LogLine>(maxQueued);
  }

  wants(source: string): boolean {
    return this.sources === null || this.sources.has(source);
  }

  /** Queues `line` for delivery, or drops it when the queue is full. Never calls the listener synchronously. */
  offer(line: LogLine): void {
    if (this.closed) return;
    if (!this.queue.offer(line)) {
      this.droppedCount++;
      return;
    }
    this.schedule();
  }

  unsubscribe(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.clear();
    this.onClose(this);
  }

  dropped(): number {
    return this.droppedCount;
  }

  private schedule(): void {
    if (this.scheduled || this.delivering || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.deliver();
    });
  }

  private async deliver(): Promise<void> {
    this.delivering = true;
    try {
      const until = performance.now() + DELIVER_MS_PER_TURN;
      for (let n = 0; this.queue.length > 0 && !this.closed; n++) {
        // Checking the clock every 64 lines keeps its cost out of the per-line path.
        if ((n & 63) === 63 && performance.now() > until) break;
        const line = this.queue.shift() as LogLine;
        const result = this.listener(line);
        if (result !== undefined && typeof (result as Promise<void>).then === 'function') await result;
      }
    } catch {
      this.delivering = false;
      this.unsubscribe();
      return;
    }
    this.delivering = false;
    if (this.queue.length > 0) this.schedule();
  }
}

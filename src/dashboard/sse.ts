/**
 * One Server-Sent Events stream. A reader that falls more than MAX_BACKLOG bytes behind is
 * dropped (the browser's EventSource reconnects and starts from a fresh snapshot) instead of
 * growing the supervisor's memory.
 */
import type { ServerResponse } from 'node:http';

const MAX_BACKLOG = 4 << 20;
const HEARTBEAT_MS = 15_000;

export class SseStream {
  readonly closed: Promise<void>;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.write(': lb-dev\n\n');
    this.closed = new Promise((resolve) => res.once('close', () => resolve()));
    this.heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
    void this.closed.then(() => clearInterval(this.heartbeat));
  }

  /** False once the reader is gone (or was dropped for falling behind). */
  send(data: unknown): boolean {
    if (this.res.destroyed || this.res.writableEnded) return false;
    if (this.res.writableLength > MAX_BACKLOG) {
      this.res.destroy();
      return false;
    }
    this.res.write(`data: ${JSON.stringify(data)}\n\n`);
    return true;
  }

  buffered(): number {
    return this.res.writableLength;
  }
}

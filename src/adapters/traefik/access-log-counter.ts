/**
 * Requests served per backend (and those answered with a 5xx), counted from Traefik's JSON access log (each line names the
 * ServiceURL the request went to). Polls the file for new bytes rather than watching it:
 * the writer may be a container, and a poll every half second is plenty for a status table.
 */
import { open, stat } from 'node:fs/promises';

export class AccessLogCounter {
  private offset = 0;
  private partial = '';
  private readonly counts = new Map<string, number>();
  private readonly errors = new Map<string, number>();
  private unrouted = 0;
  private timer: NodeJS.Timeout | null = null;
  private reading = false;

  constructor(
    private readonly path: string,
    private readonly everyMs = 500,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Requests per backend URL (e.g. `http://127.0.0.1:41234`) since lb-dev started. */
  byUrl(): ReadonlyMap<string, number> {
    return this.counts;
  }

  /** Requests per backend URL answered with a status of 500 or more (Traefik's DownstreamStatus). */
  errorsByUrl(): ReadonlyMap<string, number> {
    return this.errors;
  }

  /** Requests Traefik answered without a backend (a 503 while no server takes traffic, a 404). */
  withoutBackend(): number {
    return this.unrouted;
  }

  async poll(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const size = (await stat(this.path)).size;
      if (size < this.offset) this.offset = 0; // rotated or truncated
      if (size === this.offset) return;
      const file = await open(this.path, 'r');
      try {
        const length = Math.min(size - this.offset, 8 << 20);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await file.read(buffer, 0, length, this.offset);
        this.offset += bytesRead;
        this.consume(buffer.toString('utf8', 0, bytesRead));
      } finally {
        await file.close();
      }
    } catch {
      // No access log yet (Traefik has served nothing), or it is off: nothing to count.
    } finally {
      this.reading = false;
    }
  }

  consume(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const entry = accessEntryOf(line);
      if (!entry) continue;
      if (entry.url === null) {
        this.unrouted++;
        continue;
      }
      this.counts.set(entry.url, (this.counts.get(entry.url) ?? 0) + 1);
      if (entry.status !== null && entry.status >= 500) this.errors.set(entry.url, (this.errors.get(entry.url) ?? 0) + 1);
    }
  }
}

export interface AccessEntry {
  /** The backend it went to; null = none (a 503 with no server). */
  url: string | null;
  /** The status the client got; null when the line has none. */
  status: number | null;
}

/** One JSON access-log line, or null (not JSON, not an object). */
export function accessEntryOf(line: string): AccessEntry | null {
  if (!line.startsWith('{')) return null;
  try {
    const entry = JSON.parse(line) as { ServiceURL?: unknown; DownstreamStatus?: unknown } | null;
    if (typeof entry !== 'object' || entry === null) return null;
    const url = typeof entry.ServiceURL === 'string' && entry.ServiceURL !== '' ? entry.ServiceURL.replace(/\/$/, '') : null;
    const status = typeof entry.DownstreamStatus === 'number' ? entry.DownstreamStatus : null;
    return { url, status };
  } catch {
    return null;
  }
}

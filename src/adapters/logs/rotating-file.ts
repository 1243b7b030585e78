/**
 * An append-only log file that rotates by size (`app-1.log` -> `app-1.log.1` -> ...) and
 * never blocks its caller: write() only queues, one async fs write runs at a time, and
 * when the disk falls too far behind, lines are dropped and counted instead of piling
 * up in memory (a flooding child must not grow lb-dev without bound, PM2 #1309).
 */
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface RotatingFileOptions {
  path: string;
  /** Rotate before a write would take the current file past this size. */
  maxBytes: number;
  /** Rotated files kept (`.1` ... `.maxFiles`); 0 = the current file is just truncated. */
  maxFiles: number;
  /** Queued bytes beyond which write() drops lines. Default 4 MiB. */
  maxPendingBytes?: number;
  /** Called for each failed open/write/rotate (the lines of that batch are dropped). */
  onError?: (error: Error) => void;
}

export const DEFAULT_MAX_PENDING_BYTES = 4 * 1024 * 1024;
/** Upper bound of one fs write, so a huge backlog is written in steps. */
const MAX_BATCH_BYTES = 1024 * 1024;
const RETRY_AFTER_ERROR_MS = 1000;

export class RotatingFile {
  readonly path: string;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private readonly maxPendingBytes: number;
  private readonly onError: ((error: Error) => void) | undefined;

  private queue: string[] = [];
  private queueSizes: number[] = [];
  private queueBytes = 0;
  private handle: FileHandle | null = null;
  /** Size of the current file as far as our writes go. */
  private fileBytes = 0;
  private writing = false;
  private closed = false;
  private dropped = 0;
  private error: Error | null = null;
  private idleWaiters: (() => void)[] = [];
  /** After a failure, writes are dropped until this time (epoch ms). */
  private retryAt = 0;

  constructor(options: RotatingFileOptions) {
    this.path = options.path;
    this.maxBytes = Math.max(1, options.maxBytes);
    this.maxFiles = Math.max(0, Math.floor(options.maxFiles));
    this.maxPendingBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
    this.onError = options.onError;
  }

  /**
   * Queues `line` (a newline is added). Returns false when the line was dropped: the
   * pending bytes are at their bound, a write failed less than a second ago, or the
   * file is closed.
   */
  write(line: string): boolean {
    if (this.closed) return false;
    if (this.retryAt !== 0) {
      if (Date.now() < this.retryAt) {
        this.dropped++;
        return false;
      }
      this.retryAt = 0;
    }
    const data = `${line}\n`;
    const bytes = Buffer.byteLength(data);
    if (this.queueBytes + bytes > this.maxPendingBytes && this.queueBytes > 0) {
      this.dropped++;
      return false;
    }
    this.queue.push(data);
    this.queueSizes.push(bytes);
    this.queueBytes += bytes;
    if (!this.writing) {
      this.writing = true;
      void this.drain();
    }
    return true;
  }

  /** Lines dropped because the disk was behind, or because a write failed. */
  get droppedLines(): number {
    return this.dropped;
  }

  /** Bytes queued but not yet written. */
  get pendingBytes(): number {
    return this.queueBytes;
  }

  /** The last open/write/rotate failure, or null. */
  get lastError(): Error | null {
    return this.error;
  }

  /** Resolves once everything queued so far is written (or dropped on error). */
  flush(): Promise<void> {
    if (!this.writing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Writes what is queued, then closes the file; later writes are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    const handle = this.handle;
    this.handle = null;
    if (handle) await handle.close().catch(() => undefined);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      try {
        if (!this.handle) await this.openCurrent();
        const count = this.linesFittingCurrentFile();
        if (count === 0) {
          await this.rotate();
          continue;
        }
        const lines = count === this.queue.length ? this.queue : this.queue.slice(0, count);
        let bytes = 0;
        for (let i = 0; i < count; i++) bytes += this.queueSizes[i] as number;
        this.dequeue(count, bytes);
        try {
          await this.writeAll(Buffer.from(lines.join(''), 'utf8'));
          this.fileBytes += bytes;
        } catch (error) {
          this.dropped += count;
          throw error;
        }
      } catch (error) {
        this.fail(error);
      }
    }
    this.writing = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** How many queued lines go into the current file before it must rotate (at least 1 into an empty file). */
  private linesFittingCurrentFile(): number {
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length) {
      const size = this.queueSizes[count] as number;
      const fileWouldBe = this.fileBytes + bytes + size;
      // A single line larger than maxBytes still goes into an empty file.
      if (fileWouldBe > this.maxBytes && this.fileBytes + bytes > 0) break;
      if (count > 0 && bytes + size > MAX_BATCH_BYTES) break;
      bytes += size;
      count++;
    }
    return count;
  }

  private dequeue(count: number, bytes: number): void {
    if (count === this.queue.length) {
      this.queue = [];
      this.queueSizes = [];
    } else {
      this.queue.splice(0, count);
      this.queueSizes.splice(0, count);
    }
    this.queueBytes -= bytes;
  }

  private async writeAll(buffer: Buffer): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error(`${this.path} is not open`);
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
      offset += bytesWritten;
    }
  }

  private async openCurrent(): Promise<void> {
    // The directory may have been removed under us (`rm -rf .lb-dev/logs`): recreate it.
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    // Owner-only: an instance's output is nobody else's to read (rotation renames keep the mode).
    const handle = await open(this.path, 'a', 0o600);
    try {
      await handle.chmod(0o600);
      this.fileBytes = (await handle.stat()).size;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    this.handle = handle;
  }

  private async rotate(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await handle.close();
    if (this.maxFiles === 0) {
      await rm(this.path, { force: true });
    } else {
      await rm(`${this.path}.${this.maxFiles}`, { force: true });
      for (let k = this.maxFiles - 1; k >= 1; k--) {
        await renameIfExists(`${this.path}.${k}`, `${this.path}.${k + 1}`);
      }
      await renameIfExists(this.path, `${this.path}.1`);
    }
    this.fileBytes = 0;
    await this.openCurrent();
  }

  /** Drops what is queued and pauses writing for a while, so a full disk does not become a hot loop. */
  private fail(error: unknown): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    this.error = failure;
    this.dropped += this.queue.length;
    this.dequeue(this.queue.length, this.queueBytes);
    this.retryAt = Date.now() + RETRY_AFTER_ERROR_MS;
    // The next write after the pause opens the file afresh.
    const handle = this.handle;
    this.handle = null;
    if (handle) void handle.close().catch(() => undefined);
    this.onError?.(failure);
  }
}

async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

const TAIL_CHUNK_BYTES = 64 * 1024;

/**
 * The last `n` lines (oldest first) across `path` and its rotated files `path.1` ...
 * `path.maxFiles`: what `lb-dev logs -n` reads beyond the in-memory ring buffer.
 * Missing files are skipped. Reads each file backwards, so a big file costs only its tail.
 */
export async function readTail(path: string, maxFiles: number, n: number): Promise<string[]> {
  let collected: string[] = [];
  const files = [path];
  for (let k = 1; k <= maxFiles; k++) files.push(`${path}.${k}`);
  for (const file of files) {
    const wanted = n - collected.length;
    if (wanted <= 0) break;
    const lines = await readLastLines(file, wanted);
    collected = lines.concat(collected);
  }
  return collected;
}

async function readLastLines(file: string, n: number): Promise<string[]> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const size = (await handle.stat()).size;
    const chunks: Buffer[] = [];
    let position = size;
    let newlines = 0;
    // n complete lines need n + 1 newlines in view (the first segment may be partial).
    while (position > 0 && newlines <= n) {
      const length = Math.min(TAIL_CHUNK_BYTES, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      const { bytesRead } = await handle.read(chunk, 0, length, position);
      const data = chunk.subarray(0, bytesRead);
      for (let i = data.indexOf(0x0a); i !== -1; i = data.indexOf(0x0a, i + 1)) newlines++;
      chunks.unshift(data);
    }
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (position > 0) lines.shift(); // cut mid-line by where we started reading
    return lines.slice(Math.max(0, lines.length - n));
  } finally {
    await handle.close();
  }
}

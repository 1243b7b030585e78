/**
 * Writes Traefik's dynamic config file atomically: Traefik must never read a half-written
 * file (a truncated file parses to empty maps and drops every route).
 * temp file in a sibling dir -> rename into the watched dir (atomic for every reader; the one
 * atomic write, adapters/atomic-write.ts, which also removes the temp file when a write fails).
 * The temp dir is outside the watched dir so Traefik's directory watcher never sees temp files.
 * rewrite() writes unchanged content again the same way: a new inode and a fresh file event, for a
 * watcher that missed the last one (a bind mount on Docker Desktop drops inotify events).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { LbDevError } from '../../core/errors.js';
import { writeFileAtomicSync } from '../atomic-write.js';

export interface DynamicConfigWriterOptions {
  /** The directory Traefik's file provider watches. */
  dir: string;
  /** File name inside dir, e.g. `lb-dev.yaml`. */
  fileName: string;
  /** Where temp files are written: same filesystem as dir, not inside it. */
  tmpDir: string;
}

export interface WriteResult {
  changed: boolean;
  path: string;
}

export class DynamicConfigWriter {
  readonly path: string;
  private readonly dir: string;
  private readonly tmpDir: string;
  private readonly fileName: string;
  /** Content last written or found on disk; undefined until the first write looked. */
  private last: string | undefined;
  private counter = 0;
  /** Serialises writes: the last call's content is the one left on disk. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Operations queued and not finished. */
  private queued = 0;

  constructor(opts: DynamicConfigWriterOptions) {
    if (!opts.fileName || opts.fileName.includes('/') || opts.fileName.includes('\\')) {
      throw new LbDevError('INTERNAL', `config writer: expected a plain file name, got ${JSON.stringify(opts.fileName)}`);
    }
    this.dir = resolve(opts.dir);
    this.tmpDir = resolve(opts.tmpDir);
    const rel = relative(this.dir, this.tmpDir);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
      throw new LbDevError('INTERNAL', `config writer: expected tmpDir outside the watched dir ${this.dir}, got ${this.tmpDir}`);
    }
    this.fileName = opts.fileName;
    this.path = join(this.dir, this.fileName);
  }

  write(content: string): Promise<WriteResult> {
    return this.enqueue(() => this.writeNow(content));
  }

  /** Writes `content` even when it is what the file holds: a touch through the same atomic rename. */
  rewrite(content: string): Promise<WriteResult> {
    return this.enqueue(() => this.writeNow(content, true));
  }

  /**
   * Writes in this tick when nothing queued is in flight, else returns null (use write()).
   * For removing a server: its route must not wait for the rest of the tick's work.
   */
  writeIfIdle(content: string): WriteResult | null {
    return this.queued === 0 ? this.writeNow(content) : null;
  }

  /** Compare with the file on disk at the next write (it may have been deleted or edited). */
  forget(): void {
    void this.enqueue(() => {
      this.last = undefined;
    });
  }

  /** Deletes the file (Traefik then drops its routes). Missing file is fine. */
  remove(): Promise<void> {
    return this.enqueue(async () => {
      await rm(this.path, { force: true });
      this.last = undefined;
    });
  }

  private enqueue<T>(operation: () => T | Promise<T>): Promise<T> {
    this.queued++;
    const next = this.queue.then(operation).finally(() => {
      this.queued--;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Synchronous on purpose: a route change is on the crash-to-failover path, and each await
   * of an async write would queue behind whatever else the event loop has (instances' output,
   * probes). The whole write takes a few tenths of a millisecond.
   * No fsync: the rename alone makes Traefik see the whole new file or the old one (both are in
   * the page cache); fsync only matters after a power cut, and every `up` rewrites the file at
   * start. On a busy disk each fsync cost tens of milliseconds of the crash-to-failover path.
   */
  private writeNow(content: string, force = false): WriteResult {
    if (this.last === undefined && !force) {
      try {
        this.last = readIfExists(this.path);
      } catch (error) {
        throw new LbDevError('STATE_DIR_UNUSABLE', `could not read Traefik's dynamic config ${this.path}: ${(error as Error).message}`, { cause: error });
      }
    }
    if (this.last === content && !force) return { changed: false, path: this.path };
    const changed = this.last !== content;

    const tmpPath = join(this.tmpDir, `${this.fileName}.${process.pid}.${++this.counter}.tmp`);
    try {
      try {
        writeThenRename(tmpPath, content, this.path);
      } catch (error) {
        // The directories are made only when missing (first write, or deleted since): on the
        // crash path every syscall counts.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        mkdirSync(this.tmpDir, { recursive: true, mode: 0o700 });
        writeThenRename(tmpPath, content, this.path);
      }
    } catch (error) {
      // What is on disk is unknown now: compare with the file again next time.
      this.last = undefined;
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'EXDEV' ? `${this.tmpDir} and ${this.dir} are on different filesystems` : String((error as Error).message);
      throw new LbDevError('STATE_DIR_UNUSABLE', `could not write Traefik's dynamic config ${this.path}: ${why}`, { cause: error });
    }
    this.last = content;
    return { changed, path: this.path };
  }
}

function writeThenRename(tmpPath: string, content: string, path: string): void {
  // Owner-only; the Traefik container runs as our uid (Linux) and still reads it.
  writeFileAtomicSync(path, content, { tempPath: tmpPath, mode: 0o600 });
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

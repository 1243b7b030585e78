/**
 * Where every output line of every source goes: a ring buffer per source (for
 * `lb-dev logs`), a rotating file per source (`<dir>/app-1.log`), the console, and any
 * followers. append() does bounded work and never waits on a reader: the file, the
 * console and each follower queue on their own and drop (counted) when behind.
 */
import { join } from 'node:path';
import type { ConsolePrinter } from './console-printer.js';
import type { EventDetail } from './event-log.js';
import { formatFileLine, lineSink, type LineSink, type LogLine, type LogStream } from './log-line.js';
import { DEFAULT_MAX_QUEUED, LogSubscriber, type LogListener, type LogSubscription } from './log-subscriber.js';
import { RingBuffer } from './ring-buffer.js';
import { RotatingFile } from './rotating-file.js';

export interface LogHubOptions {
  /** Directory of the per-source files (state-dir/logs); created on first write. */
  dir: string;
  maxFileBytes: number;
  /** Rotated files kept per source. */
  maxFiles: number;
  /** Lines kept in memory per source. */
  ringBufferLines: number;
  console?: ConsolePrinter | null;
  /** Each event line, as it is stored (the event log's JSON record: src/adapters/logs/event-log.ts). */
  onEvent?: (line: LogLine, detail: EventDetail) => void;
}

export interface LogSourceStats {
  source: string;
  /** Lines appended since the hub started. */
  lines: number;
  /** Lines missing from the file because the disk was behind or failing. */
  fileDroppedLines: number;
  filePath: string;
}

interface SourceLog {
  readonly ring: RingBuffer<LogLine>;
  readonly file: RotatingFile;
  lines: number;
  lastFileError: string | null;
}

export class LogHub {
  readonly dir: string;
  private readonly options: LogHubOptions;
  private readonly printer: ConsolePrinter | null;
  private readonly logs = new Map<string, SourceLog>();
  private readonly subscribers = new Set<LogSubscriber>();
  private seq = 0;

  constructor(options: LogHubOptions) {
    this.options = options;
    this.dir = options.dir;
    this.printer = options.console ?? null;
  }

  /** Stores one line of output (`text` without its line ending) and hands it on. */
  append(source: string, stream: LogStream, text: string): LogLine {
    // One LogLine is one line: a stray newline would break the file format.
    const oneLine = text.includes('\n') ? text.replace(/\r?\n/g, ' ⏎ ') : text;
    const line: LogLine = { seq: ++this.seq, time: Date.now(), source, stream, text: oneLine };
    const log = this.logFor(source);
    log.lines++;
    log.ring.push(line);
    log.file.write(formatFileLine(line));
    this.printer?.print(line);
    for (const subscriber of this.subscribers) {
      if (subscriber.wants(source)) subscriber.offer(line);
    }
    return line;
  }

  /** A lifecycle line about `source` written by lb-dev (`ready after 2.1s`, `exited with code 1`). */
  event(source: string, text: string, detail: EventDetail = { level: 'info' }): LogLine {
    const line = this.append(source, 'event', text);
    this.options.onEvent?.(line, detail);
    return line;
  }

  /** Where raw output chunks of one stream of `source` go: each line they finish is appended. */
  lineWriter(source: string, stream: Exclude<LogStream, 'event'>): LineSink {
    return lineSink((text) => this.append(source, stream, text));
  }

  /** The newest `n` lines still in memory of `sources` (null = all), oldest first. */
  recent(sources: readonly string[] | null, n: number): LogLine[] {
    const picked: SourceLog[] = [];
    for (const source of sources ?? this.logs.keys()) {
      const log = this.logs.get(source);
      if (log) picked.push(log);
    }
    if (picked.length === 1) return (picked[0] as SourceLog).ring.last(n);
    const merged = picked.flatMap((log) => log.ring.last(n));
    merged.sort((a, b) => a.seq - b.seq);
    return merged.slice(Math.max(0, merged.length - n));
  }

  /**
   * Follows new lines of `sources` (null = all). Delivery is asynchronous; a subscriber
   * more than maxQueued lines behind (default 10000) loses new lines, counted by dropped().
   */
  subscribe(sources: readonly string[] | null, onLine: LogListener, opts: { maxQueued?: number } = {}): LogSubscription {
    const subscriber = new LogSubscriber(sources === null ? null : new Set(sources), onLine, Math.max(1, opts.maxQueued ?? DEFAULT_MAX_QUEUED), (closed) =>
      this.subscribers.delete(closed),
    );
    this.subscribers.add(subscriber);
    return subscriber;
  }

  /** Sources seen so far, in first-seen order. */
  sources(): string[] {
    return [...this.logs.keys()];
  }

  /** The log file of `source` (rotated ones add `.1`, `.2`...). */
  filePath(source: string): string {
    return join(this.dir, `${safeFileName(source)}.log`);
  }

  stats(): LogSourceStats[] {
    return [...this.logs].map(([source, log]) => ({
      source,
      lines: log.lines,
      fileDroppedLines: log.file.droppedLines,
      filePath: log.file.path,
    }));
  }

  /** Resolves once every line appended so far is in its file (or dropped). */
  async flush(): Promise<void> {
    await Promise.all([...this.logs.values()].map((log) => log.file.flush()));
  }

  /** Ends all subscriptions and closes the files after writing what is queued. */
  async close(): Promise<void> {
    for (const subscriber of [...this.subscribers]) subscriber.unsubscribe();
    await Promise.all([...this.logs.values()].map((log) => log.file.close()));
  }

  private logFor(source: string): SourceLog {
    let log = this.logs.get(source);
    if (!log) {
      const file = new RotatingFile({
        path: this.filePath(source),
        maxBytes: this.options.maxFileBytes,
        maxFiles: this.options.maxFiles,
        onError: (error) => this.reportFileError(source, error),
      });
      log = { ring: new RingBuffer<LogLine>(this.options.ringBufferLines), file, lines: 0, lastFileError: null };
      this.logs.set(source, log);
    }
    return log;
  }

  /** Says once per distinct failure that a file is losing lines (a full disk must not be silent, nor spam). */
  private reportFileError(source: string, error: Error): void {
    const log = this.logs.get(source);
    if (!log || log.lastFileError === error.message) return;
    log.lastFileError = error.message;
    this.event('lb-dev', `cannot write ${log.file.path}: ${error.message} (its lines are kept in memory only)`);
  }
}

/** Source names become file names: keep them to a safe alphabet. */
function safeFileName(source: string): string {
  return source.replace(/[^A-Za-z0-9._-]/g, '_');
}

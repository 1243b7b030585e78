/**
 * Prints log lines to the terminal as `app-1   | text`, one stable colour per source.
 *
 * A flooding source must not take lb-dev down with it: print() only queues; lines are
 * written in batches from setImmediate, taken round-robin between sources, at most
 * maxLinesPerSecond overall. A source whose queue is full has its new lines dropped
 * and counted, and a `… N lines not shown (see <file>)` line says so. Everything is
 * still in the log files; the console is a view.
 */
import { hasAnsi, stripAnsi } from '../../core/text/ansi.js';
import { RESET, bold, dim, paint } from '../../core/text/colors.js';
import { BoundedQueue } from './bounded-queue.js';
import type { LogLine } from './log-line.js';

/** What the pane shows for one line: itself, nothing (held or folded), or more (held lines let go). */
export interface LineFold {
  take(line: LogLine): LogLine[];
}

export interface ConsolePrinterOptions {
  out: NodeJS.WritableStream;
  /** Use ANSI colours (true for a TTY). When false, the apps' own ANSI codes are stripped too. */
  color: boolean;
  /** Lines queued per source before new ones are dropped. Default 1000. */
  maxQueuedLines?: number;
  /** Lines printed per second across all sources; the rest queue, then drop. Default 10000. */
  maxLinesPerSecond?: number;
  /** Lines per write() call. Default 1000. */
  maxLinesPerBatch?: number;
  /** Directory of the log files as the user should read it (`.lb-dev/logs`), named in drop notices. */
  logDir?: string;
  /** Names are padded to at least this width. Default 7 (`traefik`). */
  minNameWidth?: number;
  /** Which lines the terminal shows (all by default); the others are still in the files and `lb-dev logs`. */
  shows?: (line: LogLine) => boolean;
  /** Folds repeats (crash-fold.ts: one line per crash with the last error line, not each run's output). */
  fold?: LineFold;
}

interface SourceQueue {
  readonly source: string;
  readonly colour: string;
  readonly lines: BoundedQueue<LogLine>;
  /** Lines dropped since the last notice. */
  dropped: number;
  lastNoticeAt: number;
}

/** Colours for numbered instances, in order: app-1 cyan, app-2 yellow... */
const INSTANCE_COLOURS = ['36', '33', '32', '35', '34', '96', '93', '92', '95', '94'];
const FIXED_COLOURS: Record<string, string> = { traefik: '37', 'lb-dev': '1;37' };
/** Lines taken from one source before moving to the next: fair, and still readable in runs. */
const ROUND_ROBIN_SLICE = 100;
/** Under a sustained flood, a source's drop notice repeats at most this often. */
const NOTICE_INTERVAL_MS = 1000;
/** How long to wait for the rate budget to refill. */
const REFILL_WAIT_MS = 20;

export class ConsolePrinter {
  private readonly out: NodeJS.WritableStream;
  private readonly color: boolean;
  private readonly maxQueuedLines: number;
  private readonly maxLinesPerSecond: number;
  private readonly maxLinesPerBatch: number;
  private readonly logDir: string | null;
  private readonly shows: ((line: LogLine) => boolean) | null;
  private readonly fold: LineFold | null;
  private nameWidth: number;

  private readonly queues = new Map<string, SourceQueue>();
  /** Sources in first-seen order, for round-robin. */
  private readonly order: SourceQueue[] = [];
  private nextSource = 0;
  private tokens: number;
  private tokensAt = Date.now();
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  private waitingForDrain = false;
  /** The output failed (EPIPE when piped into `head`): stop printing, never crash. */
  private broken = false;
  private totalDropped = 0;

  constructor(options: ConsolePrinterOptions) {
    this.out = options.out;
    this.color = options.color;
    this.maxQueuedLines = Math.max(0, options.maxQueuedLines ?? 1000);
    this.maxLinesPerSecond = Math.max(1, options.maxLinesPerSecond ?? 10_000);
    this.maxLinesPerBatch = Math.max(1, options.maxLinesPerBatch ?? 1000);
    this.logDir = options.logDir ?? null;
    this.shows = options.shows ?? null;
    this.fold = options.fold ?? null;
    this.nameWidth = options.minNameWidth ?? 7;
    this.tokens = this.maxLinesPerSecond;
    this.out.on('error', () => {
      this.broken = true;
    });
  }

  /** Queues `line` for printing; never writes synchronously. */
  print(line: LogLine): void {
    if (this.broken || (this.shows && !this.shows(line))) return;
    for (const shown of this.fold ? this.fold.take(line) : [line]) this.enqueue(shown);
  }

  private enqueue(line: LogLine): void {
    const queue = this.queueFor(line.source);
    if (!queue.lines.offer(line)) {
      queue.dropped++;
      this.totalDropped++;
    }
    this.schedule();
  }

  /** Lines dropped so far, all sources. */
  get droppedLines(): number {
    return this.totalDropped;
  }

  /** Lines queued and not yet printed, all sources. */
  get queuedLines(): number {
    let queued = 0;
    for (const queue of this.order) queued += queue.lines.length;
    return queued;
  }

  /** Writes everything queued now, ignoring the rate limit: for the last lines at shutdown. */
  flushNow(): void {
    this.cancelScheduled();
    while (!this.broken && this.hasWork()) this.writeBatch(Number.MAX_SAFE_INTEGER, Date.now());
  }

  /** Stops the timers; queued lines are discarded (call flushNow() first to keep them). */
  close(): void {
    this.cancelScheduled();
    this.broken = true;
  }

  private queueFor(source: string): SourceQueue {
    let queue = this.queues.get(source);
    if (!queue) {
      queue = { source, colour: colourFor(source), lines: new BoundedQueue<LogLine>(this.maxQueuedLines), dropped: 0, lastNoticeAt: 0 };
      this.queues.set(source, queue);
      this.order.push(queue);
      this.nameWidth = Math.max(this.nameWidth, source.length);
    }
    return queue;
  }

  private schedule(): void {
    if (this.immediate || this.timer || this.waitingForDrain || this.broken) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.flush();
    });
  }

  private cancelScheduled(): void {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = null;
    this.timer = null;
  }

  private flush(): void {
    if (this.broken || this.waitingForDrain) return;
    const now = Date.now();
    this.tokens = Math.min(this.maxLinesPerSecond, this.tokens + ((now - this.tokensAt) * this.maxLinesPerSecond) / 1000);
    this.tokensAt = now;
    const budget = Math.min(this.maxLinesPerBatch, Math.floor(this.tokens));
    if (budget >= 1 || !this.hasQueuedLines()) {
      this.tokens -= this.writeBatch(budget, now);
    }
    if (this.broken || this.waitingForDrain || !this.hasWork()) return;
    if (this.tokens >= 1) {
      this.schedule();
    } else {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, REFILL_WAIT_MS);
    }
  }

  /**
   * Writes up to `budget` lines plus due drop notices; returns the lines written. When
   * everything queued fits, lines go out in arrival order; when not, sources take turns.
   */
  private writeBatch(budget: number, now: number): number {
    const queued = this.queuedLines;
    const text = queued <= budget ? this.takeInOrder() : this.takeRoundRobin(budget);
    let notices = '';
    for (const queue of this.order) {
      const empty = queue.lines.length === 0;
      if (queue.dropped > 0 && (empty || now - queue.lastNoticeAt >= NOTICE_INTERVAL_MS)) {
        notices += this.dropNotice(queue);
        queue.dropped = 0;
        queue.lastNoticeAt = now;
      }
    }
    const output = text + notices;
    if (output.length > 0 && !this.out.write(output)) {
      this.waitingForDrain = true;
      this.out.once('drain', () => {
        this.waitingForDrain = false;
        this.schedule();
      });
    }
    return Math.min(queued, budget);
  }

  /** All queued lines, merged by seq (the order they reached the hub). */
  private takeInOrder(): string {
    const lines = this.order.flatMap((queue) => queue.lines.takeAll());
    if (this.order.length > 1) lines.sort((a, b) => a.seq - b.seq);
    let text = '';
    for (const line of lines) text += this.format(line);
    return text;
  }

  /** `budget` lines taken in slices from each source in turn, starting after the last one served. */
  private takeRoundRobin(budget: number): string {
    let text = '';
    let printed = 0;
    const count = this.order.length;
    while (printed < budget) {
      let progress = false;
      for (let i = 0; i < count && printed < budget; i++) {
        const queue = this.order[(this.nextSource + i) % count] as SourceQueue;
        const take = Math.min(ROUND_ROBIN_SLICE, queue.lines.length, budget - printed);
        for (let k = 0; k < take; k++) text += this.format(queue.lines.shift() as LogLine);
        if (take > 0) progress = true;
        printed += take;
      }
      this.nextSource = (this.nextSource + 1) % count;
      if (!progress) break;
    }
    return text;
  }

  private hasQueuedLines(): boolean {
    return this.order.some((queue) => queue.lines.length > 0);
  }

  private hasWork(): boolean {
    return this.order.some((queue) => queue.lines.length > 0 || queue.dropped > 0);
  }

  private format(line: LogLine): string {
    const name = line.source.padEnd(this.nameWidth);
    const colour = this.queues.get(line.source)?.colour ?? '0';
    if (line.stream === 'event') {
      return `${paint(`${name} ▸`, colour, this.color)} ${bold(stripAnsi(line.text), this.color)}\n`;
    }
    if (!this.color) return `${name} | ${stripAnsi(line.text)}\n`;
    // Reset after the app's own codes so its colour does not bleed into the next prefix.
    return `${paint(`${name} |`, colour, true)} ${line.text}${hasAnsi(line.text) ? RESET : ''}\n`;
  }

  private dropNotice(queue: SourceQueue): string {
    const where = this.logDir === null ? '' : ` (see ${this.logDir}/${queue.source}.log)`;
    const text = `… ${queue.dropped} lines not shown${where}`;
    const name = queue.source.padEnd(this.nameWidth);
    return `${paint(`${name} |`, queue.colour, this.color)} ${dim(text, this.color)}\n`;
  }
}

/** A colour that stays the same for a source across runs: by instance number, else by name. */
export function colourFor(source: string): string {
  const fixed = FIXED_COLOURS[source];
  if (fixed) return fixed;
  const numbered = /-(\d+)$/.exec(source);
  const palette = INSTANCE_COLOURS.length;
  if (numbered) return INSTANCE_COLOURS[(((Number(numbered[1]) - 1) % palette) + palette) % palette] as string;
  let hash = 0;
  for (let i = 0; i < source.length; i++) hash = (hash * 31 + source.charCodeAt(i)) >>> 0;
  return INSTANCE_COLOURS[hash % palette] as string;
}

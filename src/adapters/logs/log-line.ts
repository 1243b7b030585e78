/**
 * One line of output from a source (an instance, Traefik, or lb-dev itself), the
 * splitter that turns a process's byte stream into such lines, and the line format of
 * the per-source log files.
 */

export type LogStream = 'stdout' | 'stderr' | 'event';

export interface LogLine {
  /** Increases by one per line across all sources of a LogHub: merging by seq restores arrival order. */
  seq: number;
  /** Arrival time, epoch milliseconds. */
  time: number;
  /** `app-1`, `traefik`, `lb-dev`... */
  source: string;
  /** `event` = a lifecycle line written by lb-dev about the source (`ready after 2.1s`). */
  stream: LogStream;
  /** The line without its line ending; may contain ANSI codes. */
  text: string;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024;

export interface LineSplitter {
  /** The complete lines that `chunk` finishes, without line endings (`\n` or `\r\n`). */
  push(chunk: Buffer | string): string[];
  /** At end of stream: the unterminated last line, if there is one. */
  end(): string[];
  /** Lines cut because they were longer than maxLineBytes. */
  readonly cutLines: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * A stateful splitter for one byte stream. Chunks may end mid-line or mid-character:
 * lines are cut at `\n` in bytes and only then decoded, so UTF-8 survives any chunking.
 * A line longer than maxLineBytes (a minified bundle, a runaway progress bar) is cut
 * there with a marker and the rest of it discarded, so one line never holds more memory.
 */
export function splitLines(options: { maxLineBytes?: number } = {}): LineSplitter {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const cutMarker = ` … [line cut at ${maxLineBytes} bytes]`;
  let partial: Buffer[] = [];
  let partialBytes = 0;
  /** True while discarding the rest of a line that was already cut. */
  let skipping = false;
  let cutLines = 0;

  const cut = (bytes: Buffer): string => {
    cutLines++;
    let end = maxLineBytes;
    // Do not split a UTF-8 character: back up to the start of the one at the cut.
    while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    return bytes.toString('utf8', 0, end) + cutMarker;
  };

  const decode = (bytes: Buffer): string => {
    if (bytes.length > maxLineBytes) return cut(bytes);
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
    return bytes.toString('utf8', 0, end);
  };

  const takePartial = (tail: Buffer): Buffer => {
    const whole = partialBytes === 0 ? tail : Buffer.concat([...partial, tail], partialBytes + tail.length);
    partial = [];
    partialBytes = 0;
    return whole;
  };

  return {
    push(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      const lines: string[] = [];
      let start = 0;
      for (;;) {
        const newline = bytes.indexOf(NEWLINE, start);
        if (newline === -1) break;
        const segment = bytes.subarray(start, newline);
        start = newline + 1;
        if (skipping) {
          skipping = false; // the over-long line ends here; its rest is dropped
          continue;
        }
        lines.push(decode(takePartial(segment)));
      }
      if (start < bytes.length && !skipping) {
        // Copy: the caller may reuse its chunk buffer.
        const rest = Buffer.from(bytes.subarray(start));
        partial.push(rest);
        partialBytes += rest.length;
        if (partialBytes > maxLineBytes) {
          lines.push(cut(takePartial(Buffer.alloc(0))));
          skipping = true;
        }
      }
      return lines;
    },
    end() {
      skipping = false;
      if (partialBytes === 0) return [];
      return [decode(takePartial(Buffer.alloc(0)))];
    },
    get cutLines() {
      return cutLines;
    },
  };
}

/** Raw output chunks of one stream in, lines out: what a process or container's output is fed into. */
export interface LineSink {
  write(chunk: Buffer | string): void;
  /** The stream ended: hands on its unterminated last line, if any. */
  end(): void;
}

/** A LineSink that calls `onLine` for each line (cut at maxLineBytes like splitLines). */
export function lineSink(onLine: (line: string) => void, options: { maxLineBytes?: number } = {}): LineSink {
  const splitter = splitLines(options);
  return {
    write: (chunk) => {
      for (const line of splitter.push(chunk)) onLine(line);
    },
    end: () => {
      for (const line of splitter.end()) onLine(line);
    },
  };
}

/** The line written to `<source>.log`: `2026-11-25T16:50:00.123Z stdout hello`. */
export function formatFileLine(line: LogLine): string {
  return `${isoTime(line.time)} ${line.stream} ${line.text}`;
}

// A flood brings ~100 lines per millisecond; toISOString() for each was the hub's top cost.
let cachedTime = Number.NaN;
let cachedIso = '';
function isoTime(time: number): string {
  if (time !== cachedTime) {
    cachedTime = time;
    cachedIso = new Date(time).toISOString();
  }
  return cachedIso;
}

const FILE_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (stdout|stderr|event) (.*)$/s;

/** Parses a line written by formatFileLine; null when it is not one. `seq` is 0: files do not keep it. */
export function parseFileLine(raw: string, source: string): LogLine | null {
  const match = FILE_LINE.exec(raw);
  if (!match) return null;
  const time = Date.parse(match[1] as string);
  if (Number.isNaN(time)) return null;
  return { seq: 0, time, source, stream: match[2] as LogStream, text: match[3] as string };
}

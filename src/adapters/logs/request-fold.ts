/**
 * The pane's view of a dev server's request log: Traefik's health check (every
 * balancer.healthCheck.interval on its path) and lb-dev's probes make one ` GET / 200 in 3ms`
 * line a second per instance. A GET/HEAD request line of the same shape (digits aside: timings,
 * sizes, clock times) as one shown within QUIET_MS is held back; the 10th, 100th... repeat shows with the
 * count. Only the view folds: the files and `lb-dev logs` keep every line.
 */
import { stripAnsi } from '../../core/text/ansi.js';
import type { LogLine } from './log-line.js';

/** `GET / 200 in 3ms`, `"HEAD /api/info HTTP/1.1" 200 12`, `[GET] /health 200`: a read request and a status. */
const REQUEST = /\b(GET|HEAD)\]?\s+"?\/\S*.*\b[1-5]\d\d\b/;
const QUIET_MS = 10_000;
/** What differs between two lines of one shape: timings, sizes, clock times (the status stays). */
const AMOUNT = /\d+(\.\d+)?\s*(ms|s|µs|ns|b|kb|mb|kib|mib)\b/gi;
const TIME_OF_DAY = /\d{1,2}:\d{2}:\d{2}(\.\d+)?/g;

export class RequestFold {
  private readonly shapes = new Map<string, { count: number; lastAt: number }>();

  /** The line to show, or null while it repeats a request line shown recently. */
  take(line: LogLine): LogLine | null {
    if (line.stream === 'event') return line;
    const plain = stripAnsi(line.text);
    if (!REQUEST.test(plain)) return line;
    const key = `${line.source} ${plain.replace(TIME_OF_DAY, '#').replace(AMOUNT, '#')}`;
    const seen = this.shapes.get(key);
    if (!seen || line.time - seen.lastAt > QUIET_MS) {
      this.shapes.set(key, { count: 1, lastAt: line.time });
      if (this.shapes.size > 1_000) this.shapes.delete(this.shapes.keys().next().value!);
      return line;
    }
    seen.count++;
    seen.lastAt = line.time;
    if (!Number.isInteger(Math.log10(seen.count))) return null;
    return { ...line, text: `${line.text} (x${seen.count} like this, health checks included; lb-dev logs ${line.source} has each)` };
  }
}

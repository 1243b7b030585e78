/**
 * lb-dev's one structured event log: every event line of every source (lb-dev's own messages,
 * `app-2: exited with code 1`, `traefik: Traefik is back ...`) is written by pino as one JSON
 * object into logs/lb-dev.jsonl, with its source, level and fields (`{ servers, ms }`, an error
 * with its stack); debug-level messages go there only. The readable text of the same events is
 * the log hub's (console, `lb-dev logs`, logs/<source>.log): the hub hands each event line to
 * `record`, so pino is the file's only writer and an event cannot reach one log and not the other.
 * Synchronous and opened at the first event: none lost on an early exit, and a second `up`
 * stopped by ALREADY_RUNNING never touches the running one's file.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import type { LogLine } from './log-line.js';

export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

/** What the hub passes with an event line beyond its text. */
export interface EventDetail {
  level: EventLevel;
  fields?: Record<string, unknown>;
}

/** pino's call shapes: `log.info('text')` or `log.info({ fields }, 'text')`. */
export interface LogMethod {
  (message: string): void;
  (fields: Record<string, unknown>, message: string): void;
}

/** lb-dev's own messages (source `lb-dev`). */
export type SupervisorLogger = Record<EventLevel, LogMethod>;

/** Where lb-dev's own messages of level info and above go as text: the hub's event(), which calls record() back. */
export type EventText = (source: string, text: string, detail: EventDetail) => void;

export class EventLog {
  private json: pino.Logger | null = null;

  constructor(private readonly file: string) {}

  /** One event line as JSON: the hub calls this for every line of its `event` stream. */
  record(line: LogLine, detail: EventDetail = { level: 'info' }): void {
    this.logger()[detail.level]({ source: line.source, ...detail.fields }, line.text);
  }

  /** lb-dev's own logger: debug straight to the file, the other levels as hub events (text and JSON). */
  supervisorLogger(text: EventText): SupervisorLogger {
    const method =
      (level: EventLevel): LogMethod =>
      (first: string | Record<string, unknown>, second?: string) => {
        const [fields, message] = typeof first === 'string' ? [{}, first] : [first, second ?? ''];
        if (level === 'debug') this.logger().debug({ source: 'lb-dev', ...fields }, message);
        else text('lb-dev', message, { level, fields });
      };
    return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
  }

  private logger(): pino.Logger {
    if (this.json) return this.json;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    this.json = pino(
      { level: 'debug', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
      pino.destination({ dest: this.file, sync: true, mode: 0o600 }),
    );
    return this.json;
  }
}

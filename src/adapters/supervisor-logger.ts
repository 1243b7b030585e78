/**
 * lb-dev's own messages. Each goes two ways, each with one writer per file:
 * - as a plain `lb-dev` line to the log hub (console, `lb-dev logs lb-dev`, logs/lb-dev.log),
 *   for info and above;
 * - through pino as one JSON object into logs/lb-dev.jsonl, every level including debug, with
 *   the fields passed (`{ servers, ms }`, an error with its stack) for reading by tools.
 * pino writes synchronously: a few dozen messages per run, and none lost or half-open when
 * the process exits early (a second `up` stopping at ALREADY_RUNNING).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';

export type SupervisorLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** pino's call shapes: `log.info('text')` or `log.info({ fields }, 'text')`. */
export interface LogMethod {
  (message: string): void;
  (fields: Record<string, unknown>, message: string): void;
}

export type SupervisorLogger = Record<SupervisorLogLevel, LogMethod>;

export interface SupervisorLoggerOptions {
  /** The JSON-lines file (logs/lb-dev.jsonl). */
  file: string;
  /** Receives each message of level info and above, as text. */
  onMessage: (level: SupervisorLogLevel, message: string) => void;
}

/** The file is opened at the first message: creating the logger touches nothing. */
export function createSupervisorLogger(opts: SupervisorLoggerOptions): SupervisorLogger {
  let json: pino.Logger | null = null;
  const open = (): pino.Logger => {
    mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
    return pino(
      { level: 'debug', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
      pino.destination({ dest: opts.file, sync: true, mode: 0o600 }),
    );
  };
  const method = (level: SupervisorLogLevel): LogMethod =>
    (first: string | Record<string, unknown>, second?: string) => {
      const [fields, message] = typeof first === 'string' ? [{}, first] : [first, second ?? ''];
      json ??= open();
      json[level](fields, message);
      if (level !== 'debug') opts.onMessage(level, message);
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

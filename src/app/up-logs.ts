/** Where everything `up` and its instances say goes: the console pane and the log hub's files. */
import type { LbDevConfig } from '../core/config/types.js';
import { traefikConsoleFilter } from '../core/traefik/log-filter.js';
import { traefikWarningFold } from '../core/traefik/warning-fold.js';
import { ConsolePrinter, type LineFold } from '../adapters/logs/console-printer.js';
import { CrashFold } from '../adapters/logs/crash-fold.js';
import { RequestFold } from '../adapters/logs/request-fold.js';
import { EventLog, type SupervisorLogger } from '../adapters/logs/event-log.js';
import { LogHub } from '../adapters/logs/log-hub.js';
import type { StateLayout } from './state-dir.js';

export interface UpLogs {
  printer: ConsolePrinter;
  logs: LogHub;
  /** lb-dev's own messages: text through the hub, JSON (every event of every source) in logs/lb-dev.jsonl. */
  log: SupervisorLogger;
}

/**
 * A crash loop shows one line per crash, not a stack trace per retry; request lines of one shape
 * (Traefik's health check) and Traefik's repeated warnings fold with a count. The files keep it all.
 */
function paneFold(): LineFold {
  const crashes = new CrashFold();
  const requests = new RequestFold();
  const warnings = traefikWarningFold();
  return {
    take(line) {
      if (line.source !== 'traefik' || line.stream === 'event') return crashes.take(line).flatMap((shown) => requests.take(shown) ?? []);
      const text = warnings(line.text, line.time);
      return text === null ? [] : [{ ...line, text }];
    },
  };
}

export function createUpLogs(config: LbDevConfig, layout: StateLayout, io: { out: NodeJS.WritableStream; color: boolean }): UpLogs {
  // Traefik's start-up chatter stays out of the pane (its errors and warnings that matter do not): `lb-dev logs traefik` has it all.
  const traefikShows = traefikConsoleFilter();
  const printer = new ConsolePrinter({
    out: io.out,
    color: io.color,
    logDir: layout.logsDir,
    shows: (line) => line.source !== 'traefik' || line.stream === 'event' || traefikShows(line.text),
    fold: paneFold(),
  });
  const events = new EventLog(layout.supervisorLog);
  const logs = new LogHub({
    dir: layout.logsDir,
    maxFileBytes: config.logs.maxFileBytes,
    maxFiles: config.logs.maxFiles,
    ringBufferLines: config.logs.ringBufferLines,
    console: printer,
    onEvent: (line, detail) => events.record(line, detail),
  });
  return { printer, logs, log: events.supervisorLogger((source, text, detail) => logs.event(source, text, detail)) };
}

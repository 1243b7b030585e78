import { Command } from 'commander';
import type { LogLine } from '../../adapters/logs/log-line.js';
import type { OperationsClient } from '../../control/operations-client.js';
import { isLbDevError } from '../../core/errors.js';
import { connect, layoutOf, untilUpEnds, useColor } from '../context.js';
import { type LocationFlags, addLocationOptions, durationFlag, wholeNumber } from '../options.js';
import { renderLogLine } from '../render/log-line.js';

/** Lines printed first without -n: 100, or with --since every line in that time. */
const DEFAULT_LINES = 100;
const ALL_LINES = Number.MAX_SAFE_INTEGER;

type LogsFlags = LocationFlags & { follow?: boolean; lines?: number; since?: number; timestamps?: boolean; json?: boolean };

export function logsCommand(): Command {
  const command = new Command('logs')
    .description(
      'print the output of instances (app-2 or 2), `traefik` or `lb-dev`; all of them when none is named. ' +
        'After `up` has ended, reads the log files it left in the state dir',
    )
    .argument('[instance...]', 'instances or sources to show')
    .option('-f, --follow', 'keep printing new lines as they come, across restarts; ends when `up` ends')
    .option('-n, --lines <n>', `how many recent lines to print first (default ${DEFAULT_LINES}; with --since: all of them)`, wholeNumber('--lines'))
    .option('--since <duration>', 'only lines newer than this, e.g. 30s, 5m', durationFlag('--since'))
    .option('-t, --timestamps', 'prefix each line with its time')
    .option('--json', 'one JSON object per line');
  addLocationOptions(command);
  return command.action(async (sources: string[], flags: LogsFlags) => {
    const lines = flags.lines ?? (flags.since !== undefined ? ALL_LINES : DEFAULT_LINES);
    const print = printer(flags, sources.length !== 1);
    let client: OperationsClient;
    try {
      client = await connect(flags);
    } catch (error) {
      // No `up` runs: what the last one logged is still on disk (not for -f: nothing more will come).
      if (flags.follow || !isLbDevError(error) || error.code !== 'NOT_RUNNING') throw error;
      const cutoff = flags.since === undefined ? 0 : Date.now() - flags.since;
      const fromFiles = await readFiles(flags, sources, lines, cutoff);
      if (fromFiles === null) throw error;
      for (const line of fromFiles) print(line);
      return;
    }
    try {
      if (flags.follow)
        process.once('SIGINT', () => {
          client.close();
          process.exit(0);
        });
      const request = client.stream('logs', { sources, lines, follow: Boolean(flags.follow), sinceMs: flags.since ?? null }, (message) => {
        if ('dropped' in message) {
          process.stderr.write(`lb-dev logs: ${message.dropped} lines skipped because this terminal read too slowly\n`);
          return;
        }
        print(message.line);
      });
      await untilUpEnds(client, request, (text) => process.stderr.write(`${text}\n`));
    } finally {
      client.close();
    }
  });
}

async function readFiles(flags: LogsFlags, sources: string[], lines: number, cutoff: number): Promise<LogLine[] | null> {
  const [{ readLogFiles }, layout] = await Promise.all([import('../../app/log-files.js'), layoutOf(flags)]);
  return readLogFiles(layout.logsDir, sources, lines, cutoff);
}

function printer(flags: LogsFlags, prefix: boolean): (line: LogLine) => void {
  const color = useColor(process.stdout);
  let width = 7;
  return (line) => {
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(line)}\n`);
      return;
    }
    width = Math.max(width, line.source.length);
    process.stdout.write(renderLogLine(line, { color, prefix, width, timestamps: Boolean(flags.timestamps) }));
  };
}

import { Command } from 'commander';
import type { LogLine } from '../../adapters/logs/log-line.js';
import { useColor, withClient } from '../context.js';
import { type LocationFlags, addLocationOptions, durationFlag, wholeNumber } from '../options.js';
import { renderLogLine } from '../render/log-line.js';

export function logsCommand(): Command {
  const command = new Command('logs')
    .description('print the output of instances (app-2 or 2), `traefik` or `lb-dev`; all of them when none is named')
    .argument('[instance...]', 'instances or sources to show')
    .option('-f, --follow', 'keep printing new lines as they come, across restarts')
    .option('-n, --lines <n>', 'how many recent lines to print first', wholeNumber('--lines'), 100)
    .option('--since <duration>', 'only lines newer than this, e.g. 30s, 5m', durationFlag('--since'))
    .option('-t, --timestamps', 'prefix each line with its time')
    .option('--json', 'one JSON object per line');
  addLocationOptions(command);
  return command.action(async (sources: string[], flags: LocationFlags & { follow?: boolean; lines: number; since?: number; timestamps?: boolean; json?: boolean }) => {
    const color = useColor(process.stdout);
    const prefix = sources.length !== 1;
    await withClient(flags, async (client) => {
      if (flags.follow) process.once('SIGINT', () => { client.close(); process.exit(0); });
      let width = 7;
      await client.stream('logs', { sources, lines: flags.lines, follow: Boolean(flags.follow), sinceMs: flags.since ?? null }, (data) => {
        const message = data as { line?: LogLine; dropped?: number };
        if (message.dropped) {
          process.stderr.write(`lb-dev logs: ${message.dropped} lines skipped because this terminal read too slowly\n`);
          return;
        }
        const line = message.line!;
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(line)}\n`);
          return;
        }
        width = Math.max(width, line.source.length);
        process.stdout.write(renderLogLine(line, { color, prefix, width, timestamps: Boolean(flags.timestamps) }));
      });
    });
  });
}

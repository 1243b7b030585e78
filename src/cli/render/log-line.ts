/** A log line as `lb-dev logs` prints it. */
import type { LogLine } from '../../adapters/logs/log-line.js';
import { colourFor } from '../../adapters/logs/console-printer.js';
import { stripAnsi } from '../../core/text/ansi.js';
import { paint } from '../../core/text/colors.js';

export function renderLogLine(line: LogLine, opts: { color: boolean; prefix: boolean; width: number; timestamps: boolean }): string {
  const text = opts.color ? line.text : stripAnsi(line.text);
  const time = opts.timestamps ? `${new Date(line.time).toISOString()} ` : '';
  const marker = line.stream === 'event' ? '▸ ' : '';
  if (!opts.prefix) return `${time}${marker}${text}\n`;
  const name = line.source.padEnd(opts.width);
  return `${time}${paint(`${name} |`, colourFor(line.source), opts.color)} ${marker}${text}\n`;
}

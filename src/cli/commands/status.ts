import { Command } from 'commander';
import { CLEAR_SCREEN } from '../../core/text/colors.js';
import { untilUpEnds, withClient } from '../context.js';
import { type LocationFlags, addLocationOptions } from '../options.js';
import { renderStatus } from '../render/status-table.js';

export function statusCommand(): Command {
  const command = new Command('status')
    .description('show the instances of the running lb-dev: state, port, pid, uptime, restarts')
    .option('--json', 'print the status as JSON')
    .option('-w, --watch', 'keep the table on screen, updated every second (Ctrl-C to leave)');
  addLocationOptions(command);
  return command.action(async (flags: LocationFlags & { json?: boolean; watch?: boolean }) => {
    await withClient(flags, async (client) => {
      if (!flags.watch) {
        const report = await client.call('status');
        process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report, Date.now()));
        return;
      }
      const tty = Boolean(process.stdout.isTTY) && !flags.json;
      process.once('SIGINT', () => {
        client.close();
        process.exit(0);
      });
      const watching = client.stream('watch', { intervalMs: 1000 }, (report) => {
        if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else process.stdout.write(`${tty ? CLEAR_SCREEN : ''}${renderStatus(report, Date.now())}\n`);
      });
      // `up` ended: the last table is no longer true, so it goes (on a terminal) and the watch ends normally.
      await untilUpEnds(client, watching, (text) => {
        if (flags.json) process.stderr.write(`${text}\n`);
        else process.stdout.write(`${tty ? CLEAR_SCREEN : ''}${text}; nothing is running\n`);
      });
    });
  });
}

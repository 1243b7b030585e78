import { Command } from 'commander';
import { stateLayout } from '../../app/state-dir.js';
import { withClient } from '../context.js';
import { type LocationFlags, addLocationOptions } from '../options.js';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export function downCommand(): Command {
  const command = new Command('down').description('stop a running lb-dev (the same as Ctrl-C in its terminal) and wait until it is gone');
  addLocationOptions(command);
  return command.action(async (flags: LocationFlags) => {
    const socket = await withClient(flags, async (client) => {
      const report = await client.call('status');
      await client.call('down');
      return stateLayout(report.stateDir).socket;
    });
    process.stdout.write('lb-dev is shutting down ...');
    // The socket disappears as the last step of an orderly shutdown.
    for (let waited = 0; existsSync(socket) && waited < 120_000; waited += 100) await sleep(100);
    process.stdout.write(existsSync(socket) ? ' still running after 2 minutes; check its terminal\n' : ' stopped\n');
  });
}

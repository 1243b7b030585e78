import { Command } from 'commander';
import { withClient } from '../context.js';
import { type LocationFlags, addLocationOptions, wholeNumber } from '../options.js';

export function scaleCommand(): Command {
  const command = new Command('scale')
    .description('add or remove instances at run time (removed ones leave the balancer before they stop)')
    .argument('<count>', 'the number of instances wanted', wholeNumber('count'))
    .option('--group <name>', 'the group to scale (default: the first)')
    .option('--json', 'print the result as JSON');
  addLocationOptions(command);
  return command.action(async (count: number, flags: LocationFlags & { group?: string; json?: boolean }) => {
    const result = await withClient(flags, (client) =>
      client.call<{ added: string[]; removed: string[]; instances: number }>('scale', { count, group: flags.group }));
    if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${result.instances} instances${result.added.length ? `; started ${result.added.join(', ')}` : ''}${result.removed.length ? `; stopped ${result.removed.join(', ')}` : ''}\n`);
  });
}

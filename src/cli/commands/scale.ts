import { Command } from 'commander';
import { withClient } from '../context.js';
import { type LocationFlags, addLocationOptions, durationFlag, wholeNumber } from '../options.js';

export function scaleCommand(): Command {
  const command = new Command('scale')
    .description('add or remove instances at run time (removed ones leave the balancer before they stop)')
    .argument('<count>', 'the number of instances wanted', wholeNumber('count'))
    .option('--group <name>', 'the group to scale (default: the first)')
    .option('--drain <duration>', 'time removed instances get to finish requests after leaving Traefik (default 1s)', durationFlag('--drain'), 1_000)
    .option('--json', 'print the result as JSON');
  addLocationOptions(command);
  return command.action(async (count: number, flags: LocationFlags & { group?: string; drain: number; json?: boolean }) => {
    const drainMs = flags.drain;
    const result = await withClient(flags, (client) =>
      client.call<{ added: string[]; removed: string[]; instances: number }>('scale', { count, group: flags.group, drainMs }));
    if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${result.instances} instances${result.added.length ? `; started ${result.added.join(', ')}` : ''}${result.removed.length ? `; stopped ${result.removed.join(', ')}` : ''}\n`);
  });
}

import { Command } from 'commander';
import { LbDevError } from '../../core/errors.js';
import { parseDuration } from '../../core/text/duration.js';
import { withClient } from '../context.js';
import { type LocationFlags, addLocationOptions, wholeNumber } from '../options.js';

export function scaleCommand(): Command {
  const command = new Command('scale')
    .description('add or remove instances at run time (removed ones leave the balancer before they stop)')
    .argument('<count>', 'the number of instances wanted', wholeNumber('count'))
    .option('--group <name>', 'the group to scale (default: the first)')
    .option('--drain <duration>', 'time removed instances get to finish requests after leaving Traefik', '1s')
    .option('--json', 'print the result as JSON');
  addLocationOptions(command);
  return command.action(async (count: number, flags: LocationFlags & { group?: string; drain: string; json?: boolean }) => {
    let drainMs: number;
    try {
      drainMs = parseDuration(flags.drain);
    } catch (error) {
      throw new LbDevError('USAGE', `--drain: ${(error as Error).message}`);
    }
    const result = await withClient(flags, (client) =>
      client.call<{ added: string[]; removed: string[]; instances: number }>('scale', { count, group: flags.group, drainMs }));
    if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${result.instances} instances${result.added.length ? `; started ${result.added.join(', ')}` : ''}${result.removed.length ? `; stopped ${result.removed.join(', ')}` : ''}\n`);
  });
}

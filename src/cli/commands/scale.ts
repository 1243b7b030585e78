import { Command } from 'commander';
import { withClient } from '../context.js';
import { type LocationFlags, addLocationOptions, durationFlag, wholeNumber } from '../options.js';

export function scaleCommand(): Command {
  const command = new Command('scale')
    .description('add or remove instances at run time (removed ones leave the balancer before they stop)')
    .argument('<count>', 'the number of instances wanted', wholeNumber('count'))
    .option('--group <name>', 'the group to scale (default: the first)')
    .option('--drain <duration>', 'time removed instances get to finish requests after leaving Traefik (default 1s)', durationFlag('--drain'), 1_000)
    .option('--no-wait', 'answer at once instead of waiting until the new instances are ready')
    .option('--json', 'print the result as JSON');
  addLocationOptions(command);
  return command.action(async (count: number, flags: LocationFlags & { group?: string; drain: number; wait: boolean; json?: boolean }) => {
    const drainMs = flags.drain;
    const result = await withClient(flags, (client) => client.call('scale', { count, group: flags.group, drainMs, wait: flags.wait }));
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const added = result.added.map((name) => `${name} (${result.states[name] ?? 'starting'})`);
    process.stdout.write(
      `${result.instances} instances${added.length ? `; started ${added.join(', ')}` : ''}${result.removed.length ? `; stopped ${result.removed.join(', ')}` : ''}\n`,
    );
  });
}

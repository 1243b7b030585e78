import { Command } from 'commander';
import { LbDevError } from '../../core/errors.js';
import { formatElapsed } from '../../core/text/duration.js';
import { withClient } from '../context.js';
import { type LocationFlags, addLocationOptions, durationFlag } from '../options.js';

export function restartCommand(): Command {
  const command = new Command('restart')
    .description('restart one instance or all; --rolling restarts one at a time with no failed request')
    .argument('[instance]', 'app-2 or 2')
    .option('--all', 'every instance')
    .option('--rolling', 'take each out of the balancer, wait for Traefik to confirm, drain, restart, wait until ready, put back')
    .option('--drain <duration>', 'with --rolling: time for in-flight requests to finish (default 1s)', durationFlag('--drain'), 1_000)
    .option('--json', 'print the result as JSON');
  addLocationOptions(command);
  return command.action(async (instance: string | undefined, flags: LocationFlags & { all?: boolean; rolling?: boolean; drain: number; json?: boolean }) => {
    if (!instance && !flags.all) throw new LbDevError('USAGE', 'restart: expected an instance name (app-2 or 2) or --all, got neither');
    const drainMs = flags.drain;
    const result = await withClient(flags, (client) => client.call('restart', { instance, all: Boolean(flags.all), rolling: Boolean(flags.rolling), drainMs }));
    if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if (result.restarted.length === 0 && result.skipped.length === 0) process.stdout.write('no instances to restart (`lb-dev scale N` adds some)\n');
    else {
      for (const r of result.restarted) process.stdout.write(`${r.instance}: restarted and ready in ${formatElapsed(r.ms)}\n`);
      // Another client's operation overtook these (docs/architecture.md, "Operations at once").
      for (const s of result.skipped) process.stdout.write(`${s.instance}: not restarted: ${s.reason}\n`);
    }
  });
}

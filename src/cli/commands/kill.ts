import { Command } from 'commander';
import { LbDevError } from '../../core/errors.js';
import { withClient } from '../context.js';
import { type LocationFlags, addLocationOptions } from '../options.js';

export function killCommand(): Command {
  const command = new Command('kill')
    .description("kill an instance's whole process tree to simulate a crash; lb-dev restarts it as after a real crash")
    .argument('[instance]', 'app-2 or 2')
    .option('--random', 'pick a running instance at random')
    .option('-s, --signal <signal>', 'signal to send (SIGKILL; SIGTERM; SIGSTOP freezes it, which the probes then detect)', 'SIGKILL')
    .option('--json', 'print the result as JSON');
  addLocationOptions(command);
  return command.action(async (instance: string | undefined, flags: LocationFlags & { random?: boolean; signal: string; json?: boolean }) => {
    if (!instance && !flags.random) throw new LbDevError('USAGE', 'kill: expected an instance name (app-2 or 2) or --random, got neither');
    const result = await withClient(flags, (client) => client.call('kill', { instance, random: Boolean(flags.random), signal: flags.signal, by: 'kill' }));
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    // A frozen tree stays frozen (and out of the balancer once the probes fail) until it is continued.
    const frozen = result.signal === 'SIGSTOP' ? `; it is frozen until \`lb-dev kill ${result.instance} --signal SIGCONT\`` : '';
    process.stdout.write(`sent ${result.signal} to ${result.instance} (pid ${result.pid} and its tree)${frozen}\n`);
  });
}

import { Command } from 'commander';
import { withClient } from '../context.js';
import { type LocationFlags, addLocationOptions } from '../options.js';

function lifecycleCommand(name: 'stop' | 'start', description: string): Command {
  const command = new Command(name).description(description).argument('<instance>', 'app-2 or 2').option('--json', 'print the result as JSON');
  addLocationOptions(command);
  return command.action(async (instance: string, flags: LocationFlags & { json?: boolean }) => {
    const result = await withClient(flags, (client) => client.call(name, { instance }));
    process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `${result.instance}: ${result.state}${result.reason ? ` (${result.reason})` : ''}\n`);
  });
}

export const stopCommand = () => lifecycleCommand('stop', 'take an instance out of the balancer and stop it; it stays stopped until `lb-dev start`');
export const startCommand = () => lifecycleCommand('start', 'start a stopped instance and wait until it is ready and back in the balancer');

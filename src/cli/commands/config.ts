import { Command } from 'commander';
import { paint, SGR } from '../../core/text/colors.js';
import { loadResolvedConfig, useColor } from '../context.js';
import { type LocationFlags, type TraefikMode, addLocationOptions, overridesFrom, traefikMode, wholeNumber } from '../options.js';

export function configCommand(): Command {
  const command = new Command('config')
    .description('print the resolved configuration (file + flags + defaults) and exit')
    .option('--json', 'print it as JSON')
    .option('-n, --instances <n>', 'as for up', wholeNumber('--instances'))
    .option('--command <cmd>', 'as for up')
    .option('--port <port>', 'as for up', wholeNumber('--port'))
    .option('--traefik <mode>', 'as for up', traefikMode);
  addLocationOptions(command);
  return command.action(async (flags: LocationFlags & { json?: boolean; instances?: number; command?: string; port?: number; traefik?: TraefikMode }) => {
    const config = await loadResolvedConfig(flags, overridesFrom(flags));
    const { configToYaml } = await import('../../core/config/describe.js');
    // What `up` would warn about (a pattern's adjacent repetitions, the preset's notes), said on stderr: stdout stays loadable.
    for (const notice of config.notices ?? []) process.stderr.write(`${paint('lb-dev: warning', SGR.yellow, useColor(process.stderr))} ${notice}\n`);
    process.stdout.write(flags.json ? `${JSON.stringify(config, null, 2)}\n` : configToYaml(config));
  });
}

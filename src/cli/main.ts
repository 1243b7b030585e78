#!/usr/bin/env node
/**
 * lb-dev's command line. Commands throw; this is the only place that prints an error and
 * sets the exit code.
 */
import { Command, CommanderError } from 'commander';
import { LbDevError } from '../core/errors.js';
import { chaosCommand } from './commands/chaos.js';
import { configCommand } from './commands/config.js';

import { doctorCommand } from './commands/doctor.js';
import { downCommand } from './commands/down.js';
import { killCommand } from './commands/kill.js';
import { logsCommand } from './commands/logs.js';
import { restartCommand } from './commands/restart.js';
import { scaleCommand } from './commands/scale.js';
import { startCommand, stopCommand } from './commands/stop-start.js';
import { statusCommand } from './commands/status.js';
import { upCommand } from './commands/up.js';
import { asLbDevError, exitCodeOf, formatError } from './exit.js';
import { useColor } from './context.js';
import { VERSION } from './version.js';

function program(): Command {
  const root = new Command('lb-dev')
    .description('Run N copies of your dev server behind a real Traefik load balancer: readiness-gated routes,\nrestarts with backoff, failover and chaos testing, per-instance logs.')
    .version(VERSION, '-v, --version')
    .showSuggestionAfterError()
    .addHelpText('after', `
Start with:  npm run lb:dev          (= lb-dev up: 3 demo instances behind Traefik on http://127.0.0.1:3000)
Your app:    lb-dev up -n 3 --command "yarn dev"   or a lb-dev.config.yaml (see config/lb-dev.example.yaml)
Then, from another terminal: lb-dev status | logs -f 2 | kill 2 | restart --all --rolling | scale 5 | down`);
  for (const command of [
    upCommand(), statusCommand(), logsCommand(), killCommand(), stopCommand(), startCommand(), restartCommand(),
    scaleCommand(), chaosCommand(), downCommand(), configCommand(), doctorCommand(),
  ]) root.addCommand(command);
  // Commander prints its own usage errors; we only want its exit code to be ours.
  root.exitOverride();
  for (const command of root.commands) command.exitOverride();
  return root;
}

async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    const e = error instanceof LbDevError ? error : asLbDevError(error);
    process.stderr.write(formatError(e, useColor(process.stderr)));
    return exitCodeOf(e);
  }
}

const code = await main(process.argv);
// Let pending writes (logs, the last status line) reach the terminal before leaving.
process.exitCode = code;
setImmediate(() => process.exit(code));

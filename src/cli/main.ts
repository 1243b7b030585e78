#!/usr/bin/env node
/**
 * lb-dev's command line. Commands throw; this is the only place that prints an error and
 * sets the exit code. Each command file only declares its flags: what a command needs
 * (dockerode, the config schema, the supervisor) is imported when that command runs, and only
 * the command named on the command line is loaded at all (every one for help or a typo), so a
 * second-terminal command like `lb-dev status` starts about as fast as Node itself.
 */
// First: V8's linear RegExp engine, on before any user pattern is compiled (its own comment says why).
import '../adapters/linear-regexp-engine.js';
import { Command, CommanderError } from 'commander';
import { asLbDevError, exitCodeOf, formatError } from './exit.js';
import { useColor } from './context.js';
import { VERSION } from './version.js';

/** Every command, in the order of the help, each loaded only when wanted. */
const COMMANDS: Array<[name: string, load: () => Promise<Command>]> = [
  ['up', async () => (await import('./commands/up.js')).upCommand()],
  ['status', async () => (await import('./commands/status.js')).statusCommand()],
  ['logs', async () => (await import('./commands/logs.js')).logsCommand()],
  ['kill', async () => (await import('./commands/kill.js')).killCommand()],
  ['stop', async () => (await import('./commands/stop-start.js')).stopCommand()],
  ['start', async () => (await import('./commands/stop-start.js')).startCommand()],
  ['restart', async () => (await import('./commands/restart.js')).restartCommand()],
  ['scale', async () => (await import('./commands/scale.js')).scaleCommand()],
  ['chaos', async () => (await import('./commands/chaos.js')).chaosCommand()],
  ['down', async () => (await import('./commands/down.js')).downCommand()],
  ['config', async () => (await import('./commands/config.js')).configCommand()],
  ['doctor', async () => (await import('./commands/doctor.js')).doctorCommand()],
  ['init', async () => (await import('./commands/init.js')).initCommand()],
];

/** The command named by the first word, or all of them (no command, an option first, a typo: the help needs them). */
function wanted(argv: string[]): Array<() => Promise<Command>> {
  const named = COMMANDS.find(([name]) => name === argv[2]);
  return named ? [named[1]] : COMMANDS.map(([, load]) => load);
}

async function program(argv: string[]): Promise<Command> {
  const root = new Command('lb-dev')
    .description(
      'Run N copies of your dev server behind a real Traefik load balancer: readiness-gated routes, restarts with backoff, failover and chaos testing, per-instance logs.',
    )
    .version(VERSION, '-v, --version')
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `
Start with:  npm run lb:dev          (= lb-dev up: 3 demo instances behind Traefik on http://127.0.0.1:3000)
Your app:    lb-dev up -n 3 --command "yarn dev"   or a lb-dev.config.yaml (see config/lb-dev.example.yaml)
Then, from another terminal: lb-dev status | logs -f 2 | kill 2 | restart --all --rolling | scale 5 | down`,
    );
  for (const command of await Promise.all(wanted(argv).map((load) => load()))) root.addCommand(command);
  // Commander's usage errors are thrown, not printed: they reach the user through formatError
  // like every other error (`lb-dev: error unknown command 'bogus' [USAGE]` and a fix line).
  for (const command of [root, ...root.commands]) {
    command.exitOverride();
    command.configureOutput({ outputError: () => {} });
  }
  return root;
}

/** Commander ends --help and --version by throwing; those are not errors. */
const HELP_OR_VERSION = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

async function main(argv: string[]): Promise<number> {
  try {
    await (await program(argv)).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // `lb-dev` alone prints the help to stderr and ends with 1: a usage error without a message.
    if (error instanceof CommanderError && HELP_OR_VERSION.has(error.code)) return error.exitCode === 0 ? 0 : 2;
    const e = asLbDevError(error);
    process.stderr.write(formatError(e, useColor(process.stderr)));
    return exitCodeOf(e);
  }
}

/** Resolves once everything written so far to `stream` has been handed to the OS (or the reader is gone). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

// A reader that stops early (`lb-dev --help | head -1`) is not an error of ours: what is left
// to write has nowhere to go, and the command ends as it would have.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await main(process.argv);
// A pipe takes 64 KiB at once and Node queues the rest: leaving before it drains would cut
// `lb-dev config | wc -c` short. Exiting explicitly afterwards ends the process even if a
// command left a timer or socket behind.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit();

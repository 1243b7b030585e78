import { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { mongoUrl } from '../../core/config/checks.js';
import { INIT_PRESETS, type InitPreset } from '../../core/config/init-file.js';
import { ROCKETCHAT_MODES, type RocketChatMode } from '../../core/config/presets/rocketchat.js';
import { MAX_INSTANCES } from '../../core/config/keys.js';
import { LbDevError } from '../../core/errors.js';
import { wholeNumber } from '../options.js';

function choice<T extends string>(flag: string, values: readonly T[]) {
  return (value: string): T => {
    const found = values.find((known) => known === value);
    if (found === undefined) throw new LbDevError('USAGE', `${flag}: expected ${values.join(' or ')}, got ${JSON.stringify(value)}`);
    return found;
  };
}

export function initCommand(): Command {
  return new Command('init')
    .description('write a commented lb-dev.config.yaml here (a Rocket.Chat checkout gets the rocketchat preset)')
    .option('--preset <name>', 'rocketchat or generic (default: rocketchat in a Rocket.Chat checkout, else generic)', choice('--preset', INIT_PRESETS))
    .option(
      '--mode <mode>',
      'rocketchat: replicas (default; one Meteor build + copies of its bundle) or independent (N Meteor builds)',
      choice('--mode', ROCKETCHAT_MODES),
    )
    .option('-n, --instances <n>', 'instances, all together (default 3)', wholeNumber('--instances'))
    .option('--mongo-url <url>', "rocketchat: your MongoDB replica set (default: meteor-1's built-in MongoDB)")
    .option('--force', 'replace an existing lb-dev.config.yaml')
    .option('--add-script', 'add "lb:dev": "exec lb-dev up" to package.json without asking')
    .addHelpText(
      'after',
      `
Examples:
  $ lb-dev init                                   in a Rocket.Chat checkout: preset rocketchat, 3 instances
  $ lb-dev init --mode independent -n 2 --add-script
  $ lb-dev init --mongo-url "mongodb://127.0.0.1:27017/rocketchat?replicaSet=rs0"`,
    )
    .action(async (flags: { preset?: InitPreset; mode?: RocketChatMode; instances?: number; mongoUrl?: string; force?: boolean; addScript?: boolean }) => {
      const instances = flags.instances ?? 3;
      if (instances < 1 || instances > MAX_INSTANCES)
        throw new LbDevError('USAGE', `--instances: expected a whole number from 1 to ${MAX_INSTANCES}, got ${instances}`);
      if (flags.mongoUrl !== undefined && !mongoUrl(flags.mongoUrl).ok) {
        throw new LbDevError(
          'USAGE',
          `--mongo-url: expected a MongoDB URL like mongodb://127.0.0.1:27017/rocketchat?replicaSet=rs0, got ${JSON.stringify(flags.mongoUrl)}`,
        );
      }
      // Asking needs a person at a terminal; piped or in CI, init only says what it would add.
      const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      const { runInit } = await import('../../app/init.js');
      await runInit({
        cwd: process.cwd(),
        ...(flags.preset === undefined ? {} : { preset: flags.preset }),
        ...(flags.mode === undefined ? {} : { mode: flags.mode }),
        instances,
        mongoUrl: flags.mongoUrl ?? null,
        force: flags.force === true,
        addScript: flags.addScript === true ? true : interactive ? 'ask' : false,
        ask: async (question) => {
          const prompt = createInterface({ input: process.stdin, output: process.stdout });
          try {
            return /^y(es)?$/i.test((await prompt.question(question)).trim());
          } finally {
            prompt.close();
          }
        },
        say: (line) => process.stdout.write(`${line}\n`),
      });
    });
}

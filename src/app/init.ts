/**
 * `lb-dev init`: picks the preset (a Rocket.Chat checkout -> rocketchat, else generic) unless
 * told, writes the commented lb-dev.config.yaml (never over an existing one without force),
 * and adds `"lb:dev": "exec lb-dev up"` to package.json when asked to.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type InitPreset, renderInitConfig } from '../core/config/init-file.js';
import type { RocketChatMode } from '../core/config/presets/rocketchat.js';
import { CONFIG_FILE_NAME } from '../core/config/schema.js';
import { LbDevError } from '../core/errors.js';
import { detectProject } from '../adapters/checkout-detect.js';

/**
 * `exec`: the package manager's shell becomes lb-dev, so a signal the package manager passes on
 * (npm, pnpm) reaches lb-dev itself; one that it does not (yarn 1) leaves lb-dev orphaned, which
 * `up` notices (src/adapters/process/parent-watch.ts).
 */
export const LB_DEV_SCRIPT = { name: 'lb:dev', command: 'exec lb-dev up' } as const;

export interface InitOptions {
  cwd: string;
  preset?: InitPreset;
  /** rocketchat only; default replicas. */
  mode?: RocketChatMode;
  instances: number;
  mongoUrl: string | null;
  force: boolean;
  /** true = add the script; false = only mention it; 'ask' = ask (a terminal is attached). */
  addScript: boolean | 'ask';
  ask: (question: string) => Promise<boolean>;
  say: (line: string) => void;
}

export async function runInit(opts: InitOptions): Promise<void> {
  const project = detectProject(opts.cwd);
  const preset: InitPreset = opts.preset ?? (project.rocketChat ? 'rocketchat' : 'generic');
  if (opts.preset === undefined) {
    opts.say(
      project.rocketChat
        ? 'This is a Rocket.Chat checkout (package.json name rocket.chat, apps/meteor/.meteor): using the rocketchat preset.'
        : 'Not a Rocket.Chat checkout: using the generic preset (lb-dev init --preset rocketchat to choose it anyway).',
    );
  } else {
    opts.say(`Using the ${preset} preset (--preset).`);
  }
  if (preset === 'generic' && (opts.mode !== undefined || opts.mongoUrl !== null)) {
    throw new LbDevError(
      'USAGE',
      `${opts.mode !== undefined ? '--mode' : '--mongo-url'}: expected the rocketchat preset (--preset rocketchat), got the generic one`,
    );
  }
  const mode = opts.mode ?? 'replicas';
  const file = path.join(opts.cwd, CONFIG_FILE_NAME);
  const text = renderInitConfig({ preset, mode, instances: opts.instances, mongoUrl: opts.mongoUrl, command: project.devCommand });
  try {
    await writeFile(file, text, { flag: opts.force ? 'w' : 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new LbDevError('INIT_FILE_EXISTS', `${CONFIG_FILE_NAME} already exists in ${opts.cwd}; expected no config file, or --force to replace it`);
  }
  opts.say(
    `Wrote ${CONFIG_FILE_NAME}${preset === 'rocketchat' ? ` (mode ${mode}, ${opts.instances} instance(s), ${opts.mongoUrl === null ? "meteor-1's built-in MongoDB" : 'MongoDB at the URL given'})` : ''}.`,
  );
  if (project.hasPackageJson) await offerScript(opts);
  opts.say('Next: lb-dev up   (lb-dev doctor checks Docker, ports, MongoDB and memory first)');
}

async function offerScript(opts: InitOptions): Promise<void> {
  const file = path.join(opts.cwd, 'package.json');
  const text = await readFile(file, 'utf8');
  const pkg = JSON.parse(text) as { scripts?: Record<string, string> };
  if (pkg.scripts?.[LB_DEV_SCRIPT.name] !== undefined) {
    opts.say(`package.json already has a "${LB_DEV_SCRIPT.name}" script: ${JSON.stringify(pkg.scripts[LB_DEV_SCRIPT.name])}`);
    return;
  }
  const line = `"${LB_DEV_SCRIPT.name}": "${LB_DEV_SCRIPT.command}"`;
  const add = opts.addScript === 'ask' ? await opts.ask(`Add ${line} to package.json scripts? [y/N] `) : opts.addScript;
  if (!add) {
    opts.say(`Tip: add ${line} to package.json scripts (lb-dev init --add-script does), then: yarn lb:dev`);
    return;
  }
  pkg.scripts = { ...pkg.scripts, [LB_DEV_SCRIPT.name]: LB_DEV_SCRIPT.command };
  // Keep the file's own indentation and final newline.
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  await writeFile(file, `${JSON.stringify(pkg, null, indent)}${text.endsWith('\n') ? '\n' : ''}`);
  opts.say(`Added ${line} to package.json: yarn lb:dev (or npm run lb:dev) starts the cluster.`);
}

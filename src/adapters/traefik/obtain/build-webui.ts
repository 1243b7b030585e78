/**
 * Builds Traefik's dashboard (the module's webui/, a vite app) into webui/static of a writable
 * copy of the module, where `//go:embed static` picks it up; the module itself ships only a
 * placeholder there. Uses the yarn version its package.json names (through corepack, which
 * ships with Node) and the registry npm is configured with. Never fatal: on any failure the
 * placeholder is put back and the caller builds Traefik without the dashboard.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type ToolResult, runTool } from '../../run-tool.js';
import { whichOnPath } from './find-binary.js';

/**
 * Packages the webui's lockfile names under a scope the npm registry may not serve, with the
 * name the same project (github.com/traefik/faency) also publishes under. Used only when the
 * locked install fails because that exact package is missing.
 */
export const FORMER_PACKAGE_NAMES: Readonly<Record<string, string>> = { '@traefik-labs/faency': '@traefiklabs/faency' };

const INSTALL_TIMEOUT_MS = 20 * 60_000;
const BUILD_TIMEOUT_MS = 15 * 60_000;

export type WebuiBuild = { dashboard: true; install: 'lockfile' | 'substituted'; note: string } | { dashboard: false; reason: string };

export interface WebuiBuildOptions {
  /** The writable copy of the Traefik module (holds webui/). */
  moduleDir: string;
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
  /** Called when a phase starts, for the caller's periodic "still ..." lines. */
  onPhase?: (phase: string) => void;
}

export async function buildWebui(options: WebuiBuildOptions): Promise<WebuiBuild> {
  const webui = join(options.moduleDir, 'webui');
  const placeholder = await readPlaceholder(join(webui, 'static'));
  try {
    return await installAndBuild(webui, options);
  } catch (error) {
    // vite empties static/ before writing; an empty directory would break `//go:embed static`.
    await restorePlaceholder(join(webui, 'static'), placeholder);
    return { dashboard: false, reason: error instanceof WebuiStepFailed ? error.message : `unexpected error: ${(error as Error).message}` };
  }
}

class WebuiStepFailed extends Error {}

async function installAndBuild(webui: string, options: WebuiBuildOptions): Promise<WebuiBuild> {
  const manifest = await readManifest(join(webui, 'package.json'));
  const yarn = /^yarn@(\d+\.\d+\.\d+)/.exec(manifest.packageManager ?? '')?.[1];
  if (!yarn) throw new WebuiStepFailed(`expected webui/package.json to name yarn in "packageManager", got ${JSON.stringify(manifest.packageManager ?? null)}`);
  const corepack = await findCorepack(options.env);
  if (!corepack) throw new WebuiStepFailed('corepack (which ships with Node up to 24) was not found beside node or on PATH');
  const env = await yarnEnv(options.env);
  const run = (args: string[], timeoutMs: number) => runTool(corepack, ['yarn', ...args], { cwd: webui, env, timeoutMs });

  options.onPhase?.("installing the dashboard's packages");
  options.say(`building Traefik's dashboard (webui/) with yarn ${yarn}: installing its packages from its lockfile (~3 minutes the first time)`);
  let install = await run(['install', '--immutable'], INSTALL_TIMEOUT_MS);
  let how: 'lockfile' | 'substituted' = 'lockfile';
  let note = 'packages from its lockfile';
  if (install.failed) {
    const missing = missingLockedPackages(install.all).filter((name) => FORMER_PACKAGE_NAMES[name]);
    if (missing.length === 0) throw stepFailed('yarn install --immutable', install);
    note = await substituteFormerNames(join(webui, 'package.json'), manifest, missing);
    how = 'substituted';
    options.say(`the registry does not serve ${missing.join(', ')} from the dashboard's lockfile; installing with ${note} instead`);
    install = await run(['install', '--no-immutable'], INSTALL_TIMEOUT_MS);
    if (install.failed) throw stepFailed('yarn install (substituted)', install);
  }

  options.onPhase?.('bundling the dashboard');
  options.say("bundling Traefik's dashboard with vite (~1 minute)");
  const build = await run(['build'], BUILD_TIMEOUT_MS);
  if (build.failed) throw stepFailed('yarn build', build);
  const index = await readFile(join(webui, 'static', 'index.html'), 'utf8').catch(() => '');
  if (!/<script[^>]+src="[^"]+\.js"/.test(index))
    throw new WebuiStepFailed('expected `yarn build` to write webui/static/index.html with a script tag, found none');
  return { dashboard: true, install: how, note };
}

interface Manifest {
  packageManager?: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

async function readManifest(path: string): Promise<Manifest> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Manifest;
  } catch (error) {
    throw new WebuiStepFailed(`expected the module to hold webui/package.json, got: ${(error as Error).message}`);
  }
}

/** corepack on PATH, else beside the running node (where Node's installers put it). */
async function findCorepack(env: NodeJS.ProcessEnv): Promise<string | null> {
  const name = process.platform === 'win32' ? 'corepack.cmd' : 'corepack';
  const onPath = await whichOnPath(name, env);
  if (onPath) return onPath;
  const beside = join(dirname(process.execPath), name);
  return (await readdir(dirname(process.execPath)).catch(() => [] as string[])).includes(name) ? beside : null;
}

/**
 * Yarn and corepack fetch from the registry npm is configured with (a mirror keeps working);
 * yarn's package cache goes into the temporary copy, removed after the build, instead of
 * leaving ~800 MB in the user's home; no prompts, telemetry or progress bars.
 */
export async function yarnEnv(base: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const given = base['COREPACK_NPM_REGISTRY'] || base['YARN_NPM_REGISTRY_SERVER'] || (await npmRegistry(base));
  const registry = given ? registryBase(given) : null;
  return {
    ...base,
    ...(registry
      ? {
          COREPACK_NPM_REGISTRY: registryBase(base['COREPACK_NPM_REGISTRY'] || registry),
          YARN_NPM_REGISTRY_SERVER: registryBase(base['YARN_NPM_REGISTRY_SERVER'] || registry),
        }
      : {}),
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    YARN_ENABLE_GLOBAL_CACHE: 'false',
    YARN_ENABLE_TELEMETRY: '0',
    YARN_ENABLE_PROGRESS_BARS: 'false',
    // What Traefik's own webui build image sets (webui/buildx.Dockerfile).
    VITE_APP_BASE_URL: '',
    VITE_APP_BASE_API_URL: '/api',
  };
}

/**
 * A registry URL without trailing slashes: corepack appends `/<package>/<version>` to it, and
 * npm's own default (`https://registry.npmjs.org/`) then becomes `...npmjs.org//@yarnpkg/...`,
 * which the registry answers with HTTP 400, so the dashboard was never built.
 */
export function registryBase(url: string): string {
  return url.replace(/\/+$/, '');
}

async function npmRegistry(env: NodeJS.ProcessEnv): Promise<string | null> {
  const result = await runTool('npm', ['config', 'get', 'registry'], { env, timeoutMs: 15_000 });
  const url = result.failed ? '' : result.stdout.trim();
  return /^https?:\/\//.test(url) ? url : null;
}

/** Names of packages yarn could not fetch (YN0035 "<name>@npm:<version>: Package not found"). */
export function missingLockedPackages(output: string): string[] {
  const names = new Set<string>();
  for (const match of output.matchAll(/YN0035:.*?((?:@[^@\s/]+\/)?[^@\s/]+)@npm:[^:\s]+: Package not found/g)) names.add(match[1]!);
  return [...names];
}

/** Rewrites the dependencies to `npm:<former name>@^<major>`; returns what it did, for the output. */
async function substituteFormerNames(path: string, manifest: Manifest, names: string[]): Promise<string> {
  const dependencies = { ...manifest.dependencies };
  const done: string[] = [];
  for (const name of names) {
    const locked = dependencies[name] ?? '';
    const major = /(\d+)\./.exec(locked)?.[1];
    const range = major ? `^${major}.0.0` : '*';
    dependencies[name] = `npm:${FORMER_PACKAGE_NAMES[name]}@${range}`;
    done.push(`${FORMER_PACKAGE_NAMES[name]}@${range} for ${name}@${locked}`);
  }
  await writeFile(path, `${JSON.stringify({ ...manifest, dependencies }, null, 2)}\n`);
  return done.join(', ');
}

function stepFailed(step: string, result: ToolResult): WebuiStepFailed {
  const tail = result.all
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(-3)
    .join(' | ');
  const how = result.shortMessage;
  return new WebuiStepFailed(`${step} ${how}${tail ? `: ${tail}` : ''}`);
}

async function readPlaceholder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isFile()) files.set(entry.name, await readFile(join(dir, entry.name), 'utf8'));
  }
  return files;
}

async function restorePlaceholder(dir: string, files: Map<string, string>): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  if (files.size === 0) files.set('DONT-EDIT-FILES-IN-THIS-DIRECTORY.md', 'For more information see `webui/readme.md`');
  for (const [name, text] of files) await writeFile(join(dir, name), text);
}

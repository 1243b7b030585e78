/**
 * The real `lb-dev` CLI run from source through tsx: where it lives, the test fixtures,
 * one command run to completion, or one left running (`logs -f`, `chaos`) until killed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = join(ROOT, 'src', 'cli', 'main.ts');
/** The built CLI (`npx tsc -p tsconfig.build.json`), as `npm run lb:dev` runs it. */
export const BUILT_CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
/** tsx's loader as a file URL, so that `--import` works from any working directory. */
export const TSX = import.meta.resolve('tsx');

export const fixture = (name: string): string => join(FIXTURES, name);
/** `node <fixture>`: what most tests run as the instance command. */
export const nodeFixture = (name: string, args = ''): string => `node ${fixture(name)}${args ? ` ${args}` : ''}`;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run dist/cli/main.js instead of the sources through tsx. */
  built?: boolean;
  /** Run it as users do, through `npm run --silent lb:dev -- <args>` (package.json's script builds first). */
  npmScript?: boolean;
  /** Run it through a project's own script, e.g. { command: yarn, args: ['lb:dev'] }, in `cwd`: the script is `up` and gets the rest. */
  script?: { command: string; args: readonly string[] };
}

/** Spawns `node --import tsx src/cli/main.ts <args>` (or the built CLI) with colours off and both outputs piped. */
export function spawnLbDev(args: readonly string[], opts: CliOptions = {}): ChildProcess {
  // `lb:dev` is `up`: the script's own first argument.
  const upArgs = args.slice(args[0] === 'up' ? 1 : 0);
  const [command, commandArgs] = opts.script
    ? [opts.script.command, [...opts.script.args, ...upArgs]]
    : opts.npmScript
      ? ['npm', ['run', '--silent', 'lb:dev', '--', ...upArgs]]
      : [process.execPath, [...(opts.built ? [BUILT_CLI] : ['--import', TSX, CLI]), ...args]];
  return spawn(command, commandArgs, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `lb-dev <args>` to completion (SIGKILLed after timeoutMs). */
export function runCli(args: readonly string[], opts: CliOptions & { timeoutMs?: number } = {}): Promise<CliResult> {
  const started = Date.now();
  const child = spawnLbDev(args, opts);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
  return new Promise((resolveResult) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolveResult({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A client command left running; stdoutText() is everything it printed so far (stdout and stderr). */
export type RunningCli = ChildProcess & { stdoutText: () => string };

const running = new Set<ChildProcess>();

/** Starts `lb-dev <args>` and leaves it running; killCliChildren() ends whatever is left. */
export function spawnCli(args: readonly string[]): RunningCli {
  const child = spawnLbDev(args) as RunningCli;
  let text = '';
  child.stdout!.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  child.stderr!.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  child.stdoutText = () => text;
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** SIGKILLs every client command spawnCli() started that is still running. Synchronous, for exit hooks too. */
export function killCliChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

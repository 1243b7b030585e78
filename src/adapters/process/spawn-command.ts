/**
 * Starts a shell command line as the leader of its own process group, so that the whole
 * tree it grows (yarn -> node -> workers) can be signalled at once, and so that a Ctrl-C in
 * the terminal reaches only lb-dev, which then stops each tree in order.
 *
 * node:child_process directly: what we need from the child is its pid, its two output pipes
 * read fairly, and the leader's own 'exit'; stopping is done to the whole tree (kill-tree.ts),
 * which no spawn wrapper's kill or cleanup option does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { readFairly } from '../logs/read-fairly.js';
import { reapOrphans, stopProcessTree, signalProcessTree } from './kill-tree.js';
import { stopMarkedGroups } from './leftovers.js';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /**
   * Set when the command never ran: the OS refused to start it (`ENOENT: the working
   * directory /x does not exist`, `E2BIG: ...` for a command line too long, a NUL byte).
   * `code` is then 127, as a shell reports a command it could not run.
   */
  spawnError?: string;
}

export interface SpawnOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** Called with raw output chunks; must not block. */
  onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  /**
   * Called once a pipe has ended: all of the stream's output has been through onOutput. Not at
   * the process's exit, which comes before the pipe is read to its end (a line cut there
   * would be split in two).
   */
  onOutputEnd?: (stream: 'stdout' | 'stderr') => void;
  /**
   * Environment entries (`NAME=value`, all of them in `env`) that only this command's processes
   * carry (src/core/process-marker.ts): once its tree is gone, a stop or a reap also stops the
   * processes that carry them, the escapees no group signal or tree walk reaches (setsid, their
   * parent gone). None: the tree only.
   */
  marker?: readonly string[] | null;
}

export interface RunningProcess {
  /** -1 when the command could not be started (see ExitInfo.spawnError). */
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  /** Sends `signal` to the whole tree (process group + descendants) at once. */
  signal(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM to the tree, SIGKILL after graceMs; resolves when nothing of the tree is left, escapees included. */
  stop(graceMs: number): Promise<void>;
  /** Once the leader exited (a crash): stops what is left of its group, then its escapees; resolves when none of it runs. */
  reap(graceMs: number): Promise<void>;
}

export function spawnCommand(options: SpawnOptions): RunningProcess {
  let child: ChildProcess;
  try {
    child = spawn(execIfSimple(options.command), {
      shell: true,
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // Thrown at once: E2BIG (command line or environment too large), a NUL byte in them.
    return notStarted(describeSpawnError(error as NodeJS.ErrnoException, options.cwd));
  }
  const pid = child.pid;
  if (pid === undefined) {
    // Reported on the next tick through 'error': a missing cwd or shell (ENOENT), EACCES, EMFILE.
    return notStarted(new Promise((resolve) => child.once('error', (error) => resolve(describeSpawnError(error, options.cwd)))));
  }
  // One chunk per event-loop turn: a flooding instance must not starve probes, timers and
  // the other instances' output (see readFairly).
  for (const stream of ['stdout', 'stderr'] as const) {
    readFairly(
      child[stream]!,
      (chunk) => options.onOutput(stream, chunk as Buffer),
      () => options.onOutputEnd?.(stream),
    );
  }
  // 'exit', not 'close': 'close' also waits for the pipes to close, which an orphaned
  // grandchild holding them would delay forever.
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const { marker } = options;
  // After the group is gone: the sweep is one scan of every process's environment (~ms with /proc).
  const sweepEscapees = async (graceMs: number) => {
    if (marker?.length) await stopMarkedGroups(marker, graceMs, undefined, { groups: [pid] });
  };
  return {
    pid,
    exited,
    signal: (signal) => signalProcessTree(pid, signal),
    stop: async (graceMs) => {
      await stopProcessTree(pid, exited, graceMs);
      await sweepEscapees(graceMs);
    },
    reap: async (graceMs) => {
      await reapOrphans(pid, graceMs);
      await sweepEscapees(graceMs);
    },
  };
}

function notStarted(reason: string | Promise<string>): RunningProcess {
  const exited = Promise.resolve(reason).then((spawnError): ExitInfo => ({ code: 127, signal: null, spawnError }));
  return {
    pid: -1,
    exited,
    signal: async () => {},
    stop: async () => {
      await exited;
    },
    reap: async () => {},
  };
}

/** `CODE: what went wrong`. Node names the shell in a missing-cwd ENOENT; say which is missing. */
function describeSpawnError(error: NodeJS.ErrnoException, cwd: string): string {
  const code = error.code ?? error.name;
  if (code === 'ENOENT' && !isDirectory(cwd)) return `ENOENT: the working directory ${cwd} does not exist (${error.message})`;
  return `${code}: ${error.message}`;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `sh -c "node server.js"` leaves a shell between us and the app; with `exec` the app is the
 * group leader itself, so the pid users see and kill is the app's. Only for a plain command
 * (no operators, no substitutions), where exec cannot change what runs.
 */
export function execIfSimple(command: string): string {
  const trimmed = command.trim();
  if (/[;&|()`$<>\n]/.test(trimmed) || /^(exec|cd|export|if|for|while|case)\b/.test(trimmed)) return command;
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(trimmed)) return command; // VAR=x cmd: exec would need `env`
  return `exec ${trimmed}`;
}

/**
 * Starts a shell command line as the leader of its own process group, so that the whole
 * tree it grows (yarn -> node -> workers) can be signalled at once, and so that a Ctrl-C in
 * the terminal reaches only lb-dev, which then stops each tree in order.
 */
import { execa } from 'execa';
import { readFairly } from '../logs/read-fairly.js';
import { stopProcessTree, signalProcessTree } from './kill-tree.js';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

export interface SpawnOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** Called with raw output chunks; must not block. */
  onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export interface RunningProcess {
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  /** Sends `signal` to the whole tree (process group + descendants) at once. */
  signal(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM to the tree, SIGKILL after graceMs; resolves when nothing of the tree is left. */
  stop(graceMs: number): Promise<void>;
}

export function spawnCommand(options: SpawnOptions): RunningProcess {
  const child = execa(execIfSimple(options.command), {
    shell: true,
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    detached: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    cleanup: false,
    encoding: 'buffer',
  });
  const pid = child.pid;
  if (pid === undefined) {
    // execa reports spawn failures (bad cwd, no shell) through the promise; surface them as an exit.
    const failed = child.then((r) => ({ code: r.exitCode ?? 127, signal: r.signal ?? null }));
    return {
      pid: -1,
      exited: failed,
      signal: async () => {},
      stop: async () => { await failed; },
    };
  }
  // One chunk per event-loop turn: a flooding instance must not starve probes, timers and
  // the other instances' output (see readFairly).
  if (child.stdout) readFairly(child.stdout, (chunk) => options.onOutput('stdout', chunk as Buffer));
  if (child.stderr) readFairly(child.stderr, (chunk) => options.onOutput('stderr', chunk as Buffer));
  // The leader's own exit, not execa's promise: that one also waits for stdout to close,
  // which an orphaned grandchild holding the pipe would delay forever.
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  child.catch(() => undefined);
  return {
    pid,
    exited,
    signal: (signal) => signalProcessTree(pid, signal),
    stop: (graceMs) => stopProcessTree(pid, exited, graceMs),
  };
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

/**
 * The one way lb-dev runs a short-lived tool and waits for it (`go version`, `go build`,
 * `corepack yarn install`, `npm config get registry`, `traefik version`, `ps`, `lsof`): its
 * output collected (stdout, stderr, and both in the order they came, for error messages), a
 * time limit after which the tool's whole process group is SIGKILLed (a `go build` runs
 * compilers of its own), no input, and never a throw: the caller reads `failed`.
 * Why not execa: this is all lb-dev asks of it, and execa stays loaded for the supervisor's
 * whole life once imported (+14 MB resident, measured; `up` runs `traefik version` and, on
 * macOS, ps and lsof).
 */
import { spawn } from 'node:child_process';

export interface ToolOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Default: no limit. */
  timeoutMs?: number;
  /** Output kept per stream; more is dropped and `truncated` set (default 16 MiB). */
  maxBytes?: number;
}

export interface ToolResult {
  /** Exit code, or null when it was killed by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  all: string;
  /** True unless it ran and exited 0. */
  failed: boolean;
  timedOut: boolean;
  truncated: boolean;
  /** One line saying why it failed (`exited with code 2`, `spawn go ENOENT`, `timed out after 15000 ms`); '' when it did not. */
  shortMessage: string;
}

export function runTool(command: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  const maxBytes = options.maxBytes ?? 16 << 20;
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const all: Buffer[] = [];
    const size = { out: 0, err: 0 };
    let truncated = false;
    let timedOut = false;
    let spawnError: Error | null = null;
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const keep = (into: Buffer[], which: 'out' | 'err') => (chunk: Buffer) => {
      if (size[which] + chunk.length > maxBytes) {
        truncated = true;
        return;
      }
      size[which] += chunk.length;
      into.push(chunk);
      all.push(chunk);
    };
    child.stdout.on('data', keep(out, 'out'));
    child.stderr.on('data', keep(err, 'err'));
    const timer =
      options.timeoutMs === undefined
        ? null
        : setTimeout(() => {
            timedOut = true;
            killGroup(child.pid);
          }, options.timeoutMs);
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const failed = spawnError !== null || timedOut || code !== 0;
      resolve({
        exitCode: spawnError ? null : code,
        signal: spawnError ? null : signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        all: Buffer.concat(all).toString('utf8'),
        failed,
        timedOut,
        truncated,
        shortMessage: !failed
          ? ''
          : spawnError
            ? (spawnError as Error).message
            : timedOut
              ? `timed out after ${options.timeoutMs} ms`
              : signal
                ? `killed by ${signal}`
                : `exited with code ${code}`,
      });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

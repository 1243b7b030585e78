/**
 * The lifeline: whatever kills `lb-dev up` (SIGKILL, OOM, a crash), a watchdog process it
 * started removes what `up` was running: the instances' process trees, a local Traefik, the
 * Traefik container. The watchdog runs in a session of its own (a Ctrl-C to the terminal or a
 * group kill of `up` does not reach it), reads what to clean from a pipe, and acts when the
 * pipe closes without `release()`. It holds nothing of `up`'s event loop.
 *
 *   const lifeline = await startLifeline({ stateDir, log });
 *   lifeline.watchGroup(child.pid);      // right after spawning a process group leader
 *   lifeline.forgetGroup(child.pid);     // once that group is stopped and reaped
 *   lifeline.watchContainer(container.id);
 *   await lifeline.release();            // clean shutdown: the watchdog exits, touching nothing
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Socket } from 'node:net';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LbDevError } from '../../core/errors.js';
import type { LifelineMessage } from '../../core/lifeline.js';
import { readProcStatSync } from './proc.js';

export interface LifelineOptions {
  /** lb-dev's state dir: the watchdog's log (lifeline.log) goes here, and it names the containers to sweep. */
  stateDir: string;
  log: { warn(message: string): void };
  /** How long the watchdog may take to start (default 10 s). */
  startTimeoutMs?: number;
}

export interface Lifeline {
  /** The watchdog's pid. */
  readonly pid: number;
  /** Kill this process group (and its descendants) if `up` dies. Call right after spawning its leader. */
  watchGroup(pgid: number): void;
  forgetGroup(pgid: number): void;
  /** Remove this container (and any labelled for this state dir) if `up` dies. */
  watchContainer(id: string): void;
  forgetContainer(id: string): void;
  /** Clean shutdown: the watchdog exits without touching anything. Resolves once it has exited. */
  release(): Promise<void>;
}

/** What the parts that spawn processes and containers report to; optional there (tests without a lifeline). */
export type LifelineWatch = Pick<Lifeline, 'watchGroup' | 'forgetGroup' | 'watchContainer' | 'forgetContainer'>;

/** The watchdog entry next to this file: .js in the built package, .ts under tsx (tests). */
function watchdogCommand(stateDir: string): string[] {
  const here = fileURLToPath(import.meta.url);
  const extension = extname(here);
  const entry = join(dirname(here), `lifeline-watchdog${extension}`);
  return extension === '.ts' ? ['--import', import.meta.resolve('tsx'), entry, stateDir] : [entry, stateDir];
}

function waitReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (what: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new LbDevError('LIFELINE_FAILED', `expected the lifeline watchdog to start, got ${what}`));
    };
    const timer = setTimeout(() => fail(`no "ready" within ${timeoutMs} ms`), timeoutMs);
    let text = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      text += chunk;
      if (!text.includes('ready\n')) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve();
    });
    const onExit = (code: number | null, signal: string | null) => fail(`exit ${signal ?? `code ${code}`} before it was ready`);
    child.once('exit', onExit);
    child.once('error', (error) => fail(error.message));
  });
}

export async function startLifeline(options: LifelineOptions): Promise<Lifeline> {
  let logFd: number;
  try {
    logFd = openSync(join(options.stateDir, 'lifeline.log'), 'a', 0o600);
  } catch (error) {
    throw new LbDevError('LIFELINE_FAILED', `expected to write ${join(options.stateDir, 'lifeline.log')}, got ${(error as Error).message}`);
  }
  let child: ChildProcess;
  try {
    // detached: setsid(), so the watchdog has its own session and process group.
    // Without LB_DEV_STATE_DIR: the next `up` must not take the watchdog for a leftover instance.
    const { LB_DEV_STATE_DIR: _marker, ...env } = process.env;
    child = spawn(process.execPath, watchdogCommand(options.stateDir), { detached: true, env, stdio: ['pipe', 'pipe', logFd] });
  } finally {
    closeSync(logFd);
  }
  await waitReady(child, options.startTimeoutMs ?? 10_000);
  child.stdout!.destroy();
  const stdin = child.stdin as Socket;
  stdin.on('error', () => undefined); // EPIPE once the watchdog is gone: reported by 'exit' below
  stdin.unref();
  child.unref();

  let released = false;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    if (!released) options.log.warn(`the lifeline watchdog (pid ${child.pid}) exited (${signal ?? `code ${code}`}): if lb-dev is killed now, its instances and Traefik stay behind until the next \`lb-dev up\``);
    resolve();
  }));
  const send = (message: LifelineMessage) => {
    if (!released && stdin.writable) stdin.write(`${JSON.stringify(message)}\n`);
  };
  return {
    pid: child.pid!,
    watchGroup: (pgid) => {
      // 0 and 1 would mean "the watchdog's own group" and "every process".
      if (!Number.isSafeInteger(pgid) || pgid <= 1) throw new LbDevError('INTERNAL', `lifeline.watchGroup: expected a process group id > 1, got ${pgid}`);
      send({ op: 'watch-group', pgid, startTime: readProcStatSync(pgid)?.startTime ?? null });
    },
    forgetGroup: (pgid) => send({ op: 'forget-group', pgid }),
    watchContainer: (id) => send({ op: 'watch-container', id }),
    forgetContainer: (id) => send({ op: 'forget-container', id }),
    release: async () => {
      send({ op: 'release' });
      released = true;
      stdin.end();
      // Held only while a caller awaits this: the watchdog exits as soon as it reads the end.
      child.ref();
      await exited;
    },
  };
}

/**
 * The lifeline: whatever kills `lb-dev up` (SIGKILL, OOM, a crash), a watchdog it started
 * removes what `up` was running: the instances' process trees, a local Traefik, the Traefik
 * container. The watchdog is a dead-man switch in POSIX sh (~1.7 MB, where an idle Node process
 * costs ~43 MB), in a session of its own (a Ctrl-C to the terminal or a group kill of `up` does
 * not reach it), blocked reading a pipe from `up`. `release()` sends `release` and it exits.
 * When the pipe closes without it - `up` is gone - the sh execs Node on the reaper
 * (lifeline-watchdog.ts), which only then loads. What to clean is not streamed to it: `up`
 * keeps the record and rewrites `<stateDir>/lifeline.json` on every change (lifeline-file.ts),
 * and the reaper reads that file. Nothing here holds `up`'s event loop.
 *
 *   const lifeline = await startLifeline({ stateDir, runId, log });
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
import { type LifelineMessage, applyLifelineMessage, emptyRecord, isContainerId, isGroupId } from '../../core/lifeline.js';
import { recordFileOf, removeRecord, writeRecordSync } from './lifeline-file.js';
import { processTable } from './process-table/choose.js';
import { startTimeOf } from './process-table/process-table.js';

export interface LifelineOptions {
  /** lb-dev's state dir: the record (lifeline.json) and the watchdog's log (lifeline.log) go here, and it names the containers to sweep. */
  stateDir: string;
  /**
   * This run's id (LB_DEV_RUN, src/core/process-marker.ts). After the recorded groups, the reaper
   * also kills what carries the run's marker: the escapees no group or tree walk reaches. None:
   * the recorded groups only.
   */
  runId?: string;
  log: { warn(message: string): void };
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

/**
 * `read` fails at end of file, which is what the pipe gives once `up` is gone; then the line is
 * not `release`, and the shell becomes the reaper ($0 "$@": node [--import tsx] entry stateDir).
 * Stray INT/TERM/HUP sent to the idle switch are ignored (Node resets them when it starts).
 */
const DEAD_MAN_SWITCH = `trap '' INT TERM HUP; IFS= read -r line; [ "$line" = release ] && exit 0; exec "$0" "$@"`;

/**
 * The reaper next to this file: .js in the built package, .ts under tsx (tests). Its arguments:
 * the state dir and the run id, not the marker's `NAME=value` entries: `ps` shows arguments and
 * environment as one line, and the sweeps would take the watchdog for a marked process.
 */
function reaperCommand(stateDir: string, runId: string | undefined): string[] {
  const here = fileURLToPath(import.meta.url);
  const extension = extname(here);
  const entry = join(dirname(here), `lifeline-watchdog${extension}`);
  const node = extension === '.ts' ? [process.execPath, '--import', import.meta.resolve('tsx')] : [process.execPath];
  return [...node, entry, stateDir, ...(runId ? [runId] : [])];
}

function waitSpawned(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new LbDevError('LIFELINE_FAILED', `expected the lifeline watchdog (/bin/sh) to start, got ${error.message}`)));
  });
}

export async function startLifeline(options: LifelineOptions): Promise<Lifeline> {
  const { stateDir } = options;
  const record = emptyRecord();
  let logFd: number;
  try {
    // A fresh record: a stale one from a run killed together with its watchdog is not ours.
    writeRecordSync(stateDir, record);
    logFd = openSync(join(stateDir, 'lifeline.log'), 'a', 0o600);
  } catch (error) {
    throw new LbDevError('LIFELINE_FAILED', `expected to write ${recordFileOf(stateDir)} and lifeline.log in ${stateDir}, got ${(error as Error).message}`);
  }
  let child: ChildProcess;
  try {
    // detached: setsid(), so the watchdog has its own session and process group.
    // Without LB_DEV_STATE_DIR: the next `up` must not take the watchdog for a leftover instance.
    const { LB_DEV_STATE_DIR: _marker, ...env } = process.env;
    child = spawn('/bin/sh', ['-c', DEAD_MAN_SWITCH, ...reaperCommand(stateDir, options.runId)], { detached: true, env, stdio: ['pipe', 'ignore', logFd] });
  } finally {
    closeSync(logFd);
  }
  let released = false;
  let watching = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      watching = false;
      if (!released)
        options.log.warn(
          `the lifeline watchdog (pid ${child.pid}) exited (${signal ?? `code ${code}`}): if lb-dev is killed now, its instances and Traefik stay behind until the next \`lb-dev up\``,
        );
      resolve();
    }),
  );
  try {
    await waitSpawned(child);
  } catch (error) {
    removeRecord(stateDir);
    throw error;
  }
  const stdin = child.stdin as Socket;
  stdin.on('error', () => undefined); // EPIPE once the watchdog is gone: reported by 'exit' above
  stdin.unref();
  child.unref();

  let writeFailed = false;
  const change = (message: LifelineMessage) => {
    if (released || !watching) return;
    applyLifelineMessage(record, message);
    try {
      writeRecordSync(stateDir, record);
      writeFailed = false;
    } catch (error) {
      // Once per failing streak: a full disk must not flood the log on every spawn.
      if (!writeFailed)
        options.log.warn(
          `could not record what the lifeline must clean in ${recordFileOf(stateDir)} (${(error as Error).message}): if lb-dev is killed now, some of it may stay behind`,
        );
      writeFailed = true;
    }
  };
  return {
    pid: child.pid!,
    watchGroup: (pgid) => {
      // 0 and 1 would mean "the watchdog's own group" and "every process".
      if (!isGroupId(pgid)) throw new LbDevError('INTERNAL', `lifeline.watchGroup: expected a process group id > 1, got ${pgid}`);
      // Recorded at once, unverified (null), then with the leader's start time once the process
      // table has told it: a pid cannot be reused within that moment, and nothing waits for it.
      change({ op: 'watch-group', pgid, startTime: null });
      void Promise.resolve()
        .then(() => startTimeOf(processTable(), pgid))
        .then(
          (startTime) => {
            if (startTime !== null && record.groups.has(pgid) && record.groups.get(pgid) === null) change({ op: 'watch-group', pgid, startTime });
          },
          () => undefined,
        );
    },
    forgetGroup: (pgid) => change({ op: 'forget-group', pgid }),
    watchContainer: (id) => {
      if (!isContainerId(id)) throw new LbDevError('INTERNAL', `lifeline.watchContainer: expected a container id or name, got ${JSON.stringify(id)}`);
      change({ op: 'watch-container', id });
    },
    forgetContainer: (id) => change({ op: 'forget-container', id }),
    release: async () => {
      if (!released && stdin.writable) stdin.end('release\n');
      released = true;
      // Held only while a caller awaits this: the watchdog exits as soon as it reads the line.
      child.ref();
      await exited;
      // Only now: had `up` died before the switch read `release`, the reaper needed the record.
      removeRecord(stateDir);
    },
  };
}

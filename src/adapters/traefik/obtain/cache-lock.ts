/**
 * One obtainer per cache directory at a time (two `lb-dev up` started together must not both
 * download or build): an exclusively created lock file holding the holder's pid, host and start
 * time, whose mtime the holder refreshes as a heartbeat. A waiter takes the lock over when the
 * holder is dead (same host, no such pid) or its heartbeat is older than staleAfterMs (another
 * host, a reused pid, a frozen process).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface LockHolder {
  pid: number;
  host: string;
  /** ms since the epoch when the lock was taken. */
  startedAt: number;
  /** What the holder is doing, for the waiter's progress line. */
  purpose: string;
  /** Tells two takes by the same pid apart. */
  token: string;
}

export interface LockOptions {
  purpose: string;
  /** Called while waiting for a live holder: at once, then every reportEveryMs. */
  onWait?: (holder: LockHolder | null, waitedMs: number) => void;
  staleAfterMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  reportEveryMs?: number;
}

export interface CacheLock {
  readonly path: string;
  /** Whether this process had to wait for another holder before getting the lock. */
  readonly waited: boolean;
  /** The last holder seen while waiting. */
  readonly waitedFor: LockHolder | null;
  release(): Promise<void>;
}

export const LOCK_FILE = '.lock';

export async function acquireCacheLock(dir: string, options: LockOptions): Promise<CacheLock> {
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? Math.min(10_000, staleAfterMs / 4);
  const pollMs = options.pollMs ?? 200;
  const reportEveryMs = options.reportEveryMs ?? 5_000;
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: Date.now(), purpose: options.purpose, token: randomBytes(6).toString('hex') };
  const content = JSON.stringify(me);
  await mkdir(dir, { recursive: true });
  const waitStarted = Date.now();
  let lastReport = -Infinity;
  let waitedFor: LockHolder | null = null;
  let waited = false;
  for (;;) {
    if (await tryCreate(path, content)) break;
    const seen = await readLock(path);
    if (seen === 'gone') continue;
    if (isStale(seen, staleAfterMs)) {
      await removeIfUnchanged(path, seen.raw);
      continue;
    }
    waited = true;
    waitedFor = seen.holder ?? waitedFor;
    if (Date.now() - lastReport >= reportEveryMs) {
      lastReport = Date.now();
      options.onWait?.(seen.holder, Date.now() - waitStarted);
    }
    await delay(pollMs);
  }
  const heartbeat = setInterval(() => {
    void utimes(path, new Date(), new Date()).catch(() => undefined);
  }, heartbeatMs);
  heartbeat.unref();
  return {
    path,
    waited,
    waitedFor,
    async release() {
      clearInterval(heartbeat);
      await removeIfUnchanged(path, content);
    },
  };
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

interface SeenLock {
  raw: string;
  /** null while the holder is still writing it, or when it is not ours to read. */
  holder: LockHolder | null;
  mtimeMs: number;
}

async function readLock(path: string): Promise<SeenLock | 'gone'> {
  try {
    const [raw, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let holder: LockHolder | null = null;
    try {
      holder = JSON.parse(raw) as LockHolder;
    } catch {
      holder = null;
    }
    return { raw, holder, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
}

function isStale(seen: SeenLock, staleAfterMs: number): boolean {
  if (Date.now() - seen.mtimeMs > staleAfterMs) return true;
  const holder = seen.holder;
  return holder !== null && holder.host === hostname() && !processAlive(holder.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the lock only if it still holds `raw`, so a fresh lock taken meanwhile survives (up to a tiny window). */
async function removeIfUnchanged(path: string, raw: string): Promise<void> {
  try {
    if ((await readFile(path, 'utf8')) === raw) await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

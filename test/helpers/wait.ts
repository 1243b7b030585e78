/**
 * Waiting in tests without fixed sleeps: poll a condition until a deadline, check that a
 * condition holds through a window, sample while something runs, or wake on the event
 * itself (a Condition that the code under observation notifies).
 */
import { setTimeout as delay } from 'node:timers/promises';

type What = string | (() => string);
const describe = (what: What): string => (typeof what === 'function' ? what() : what);

/** Polls `check` until it returns a truthy value; throws naming `what` once timeoutMs has passed. */
export async function waitUntil<T>(check: () => T | Promise<T>, opts: { timeoutMs?: number; intervalMs?: number; what: What }): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      lastError = null;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${describe(opts.what)}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await delay(opts.intervalMs ?? 50);
  }
}

/**
 * Checks `check` again and again for `forMs` and throws at the first false: for "nothing
 * happens" (a stopped instance stays stopped), where there is no event to wait for and the
 * window is the claim itself.
 */
export async function holdsFor(check: () => boolean | Promise<boolean>, forMs: number, what: What, intervalMs = 20): Promise<void> {
  const end = Date.now() + forMs;
  do {
    if (!(await check())) throw new Error(`expected ${describe(what)} to hold for ${forMs}ms; it stopped holding after ${forMs - (end - Date.now())}ms`);
    await delay(intervalMs);
  } while (Date.now() < end);
}

/** Calls `sample` every intervalMs until `done` settles (e.g. a command under observation exits); returns its value. */
export async function sampleUntil<T>(done: Promise<T>, sample: () => Promise<void> | void, intervalMs: number): Promise<T> {
  let finished = false;
  const settled = done.finally(() => {
    finished = true;
  });
  while (!finished) {
    await sample();
    await Promise.race([delay(intervalMs), settled.catch(() => undefined)]);
  }
  return settled;
}

/**
 * A condition woken by events rather than polled: the observed code (a fake stream, a
 * listener) calls notify() on every change, and until() re-checks then.
 */
export class Condition {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once `check()` is true (checked now and at each notify()); rejects naming `what` after timeoutMs. */
  until(check: () => boolean, what: What, timeoutMs = 5_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        if (!check()) return;
        finish();
        resolve();
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs}ms waiting for ${describe(what)}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }
}

/**
 * Who may act on an instance now, when several operations overlap (docs/architecture.md,
 * "Operations at once"): the newest operation on an instance wins, and one still on its way
 * stops at its next step instead of undoing what came after it. Queues let operations on the
 * same group (scales) take turns, in the order they came.
 */

/** An operation's claim on an instance: still current until a newer one claims it. */
export interface Claim {
  /** True while no newer operation has claimed the instance (and nothing forgot it). */
  current(): boolean;
  /** Why it is no longer current, as the older operation reports it ("stopped meanwhile by ..."). */
  supersededBy(): string;
}

export class Claims<Key extends object> {
  private readonly newest = new WeakMap<Key, { token: symbol; what: string }>();

  /**
   * `what` says what this operation does, as an older one reports being superseded by it
   * (e.g. "stopped meanwhile by `lb-dev stop`"). `gone` says why no claim can be current at all
   * (the instance was removed, lb-dev is shutting down), or null.
   */
  claim(key: Key, what: string, gone: () => string | null): Claim {
    const token = Symbol(what);
    this.newest.set(key, { token, what });
    return {
      current: () => gone() === null && this.newest.get(key)?.token === token,
      supersededBy: () => gone() ?? this.newest.get(key)?.what ?? what,
    };
  }
}

/** Runs tasks one after another per key, in the order they were queued; a failed task does not stop the next. */
export class TurnQueue<Key> {
  private readonly tails = new Map<Key, Promise<unknown>>();

  run<T>(key: Key, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // The last in line clears its key, so an idle group holds nothing.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/**
 * A fixed-capacity FIFO that evicts its oldest item when full: the last N log lines of
 * a source, kept in memory for `lb-dev logs` without growing with the output.
 */
export class RingBuffer<T> {
  readonly capacity: number;
  private readonly items: (T | undefined)[];
  /** Index where the next item goes. */
  private next = 0;
  private count = 0;
  private evicted = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`RingBuffer capacity must be an integer >= 0, got ${capacity}`);
    }
    this.capacity = capacity;
    this.items = new Array<T | undefined>(capacity);
  }

  /** Adds `item`, evicting the oldest one when full (a capacity of 0 keeps nothing). */
  push(item: T): void {
    if (this.capacity === 0) {
      this.evicted++;
      return;
    }
    if (this.count === this.capacity) this.evicted++;
    else this.count++;
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  /** All items, oldest first. */
  toArray(): T[] {
    return this.last(this.count);
  }

  /** The newest `n` items (fewer when there are fewer), oldest first. */
  last(n: number): T[] {
    const take = Math.max(0, Math.min(Math.floor(n), this.count));
    const out = new Array<T>(take);
    const start = this.next - take + this.capacity;
    for (let i = 0; i < take; i++) {
      out[i] = this.items[(start + i) % this.capacity] as T;
    }
    return out;
  }

  /** Removes every item (the eviction count stays). */
  clear(): void {
    this.items.fill(undefined);
    this.next = 0;
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  /** Total items evicted (or refused, at capacity 0) since construction. */
  get dropped(): number {
    return this.evicted;
  }
}

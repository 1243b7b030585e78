/**
 * A first-in first-out queue of at most `capacity` items that refuses what does not fit
 * (the caller counts its drops). Taking from the front is O(1): a head index moves, and
 * the array is cut only once at least half of it has been taken.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Queues `item`; false, and nothing queued, when the queue is full. */
  offer(item: T): boolean {
    if (this.length >= this.capacity) return false;
    this.items.push(item);
    return true;
  }

  /** The oldest item; undefined when empty. */
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head === this.items.length) this.clear();
    else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Everything queued, oldest first; the queue is empty afterwards. */
  takeAll(): T[] {
    const all = this.head === 0 ? this.items : this.items.slice(this.head);
    this.clear();
    return all;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

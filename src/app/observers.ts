/**
 * Who wants to hear about something: observers subscribe after construction and get each
 * event synchronously, in subscription order. The tiny typed bus between RouteSync, the
 * Supervisor and the reporting that `up` wires to them.
 */
type EventMap<E> = { [K in keyof E]: (...args: never[]) => void };

export class Observers<E extends EventMap<E>> {
  private readonly observers = new Set<Partial<E>>();

  /** Adds an observer of some or all events; returns the way to remove it again. */
  add(observer: Partial<E>): () => void {
    this.observers.add(observer);
    return () => {
      this.observers.delete(observer);
    };
  }

  emit<K extends keyof E>(name: K, ...args: Parameters<E[K]>): void {
    for (const observer of this.observers) (observer[name] as ((...a: Parameters<E[K]>) => void) | undefined)?.(...args);
  }
}

/**
 * A small typed event emitter: `on('node:dead', (e) => …)` where the payload type follows from
 * the event name. A listener that throws does not stop the others; the error goes to
 * `onListenerError`, and none is lost: by default (`rethrowLater`) it is thrown again on a
 * microtask, outside `emit`, where it reaches the process's 'uncaughtException' handler (or
 * ends the process with its stack, as any uncaught error does). An owner that can report
 * listener errors itself (count them, emit them as an event) passes its own `onListenerError`.
 */
export type Listener<T> = (event: T) => void;

/** Throws `error` again on a microtask: out of the emitter's loop, but never swallowed. */
export function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

export class TypedEmitter<Events extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (error: unknown) => void = rethrowLater) {}

  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(name, listener);
  }

  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): void {
    this.listeners.get(name)?.delete(listener as Listener<never>);
  }

  emit<K extends keyof Events>(name: K, event: Events[K]): void {
    const set = this.listeners.get(name);
    if (set === undefined) return;
    for (const listener of set) {
      try {
        (listener as Listener<Events[K]>)(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  listenerCount<K extends keyof Events>(name: K): number {
    return this.listeners.get(name)?.size ?? 0;
  }
}

/**
 * A tiny typed event emitter. Not node:events, so the core runs unchanged in a browser
 * (issue 6: "the same core can later run over WebSocket in a browser"). A listener that
 * throws does not corrupt the client mid-message: its error is re-thrown on a microtask,
 * where it surfaces as an uncaught exception like any other application bug.
 */
export type Listener<A> = (arg: A) => void;

export class TypedEmitter<M extends { [K in keyof M]: unknown }> {
  private readonly listeners: { [K in keyof M]?: Listener<M[K]>[] } = {};

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof M>(event: K, fn: Listener<M[K]>): () => void {
    const list = this.listeners[event] ?? [];
    list.push(fn);
    this.listeners[event] = list;
    return () => this.off(event, fn);
  }

  off<K extends keyof M>(event: K, fn: Listener<M[K]>): void {
    const list = this.listeners[event];
    if (list === undefined) return;
    const i = list.indexOf(fn);
    if (i !== -1) list.splice(i, 1);
  }

  /** Resolves with the next `event` whose value passes `filter`. */
  once<K extends keyof M>(event: K, filter: (v: M[K]) => boolean = () => true): Promise<M[K]> {
    return new Promise((resolve) => {
      const off = this.on(event, (v) => {
        if (!filter(v)) return;
        off();
        resolve(v);
      });
    });
  }

  protected emit<K extends keyof M>(event: K, arg: M[K]): void {
    const list = this.listeners[event];
    if (list === undefined || list.length === 0) return;
    for (const fn of [...list]) {
      try {
        fn(arg);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}

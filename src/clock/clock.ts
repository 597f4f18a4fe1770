/**
 * The clock every timer owner takes (the endpoint sweep, the balancer, the registry
 * heartbeat and watch, the Redis catch-up retry, the SDK's back-off, the sources), so
 * time-based behaviour is tested on a fake clock (test/support/fake-clock.ts) instead
 * of by sleeping. A leaf: it imports nothing, so the client SDK can use it too.
 *
 * Only one-shot timers: a repeating one is `every()` below, built on them, so a fake
 * clock needs three methods and nothing else.
 */

export interface Clock {
  /** ms since the epoch (or since the fake clock's start). */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. Its timers keep the process alive (the SDK relies on that). */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Server-side timers (sweeps, heartbeats, retries) must not keep a process alive on
 * their own: `unref` where the handle has it (a real Node timer); fakes have none.
 */
function unref(handle: unknown): unknown {
  if (typeof handle === 'object' && handle !== null && 'unref' in handle) {
    const u = (handle as { unref: unknown }).unref;
    if (typeof u === 'function') u.call(handle);
  }
  return handle;
}

/** A one-shot background timer (unref'd on a real clock). Returns a cancel function. */
export function after(clock: Clock, ms: number, fn: () => void): () => void {
  const handle = unref(clock.setTimeout(fn, ms));
  return () => clock.clearTimeout(handle);
}

/**
 * Calls `fn` every `ms` until the returned stop function is called. Re-armed after
 * each call (a slow `fn` delays the next, never piles calls up). Background (unref'd).
 */
export function every(clock: Clock, ms: number, fn: () => void): () => void {
  let handle: unknown;
  let stopped = false;
  const arm = () => {
    handle = unref(
      clock.setTimeout(() => {
        if (stopped) return;
        arm();
        fn();
      }, ms),
    );
  };
  arm();
  return () => {
    stopped = true;
    clock.clearTimeout(handle);
  };
}

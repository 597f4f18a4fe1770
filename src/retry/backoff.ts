/**
 * Exponential back-off with "full jitter": the n-th wait is a uniform random draw from
 * [0, min(cap, base * factor^n)). Full jitter spreads a crowd of clients that lost the
 * same server over the whole window instead of letting them reconnect in lockstep
 * (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015: full jitter finished
 * the contended workload with the fewest calls).
 *
 * Self-contained on purpose: the client SDK reuses this file, so it imports nothing
 * from the rest of the project. Randomness is a parameter so tests can assert exact
 * delays; timers take the `Clock` of src/clock/.
 */

export interface BackoffOptions {
  /** First window, ms. Default 250. */
  baseMs?: number;
  /** Largest window, ms. Default 30_000. */
  capMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /**
   * `'full'` draws uniformly from [0, window); `'none'` waits the whole window
   * (deterministic schedules that a spec dictates, such as X's). Default `'full'`.
   */
  jitter?: 'full' | 'none';
  /** Uniform [0, 1) source. Default `Math.random`. */
  random?: () => number;
}

/** The window (upper bound of the wait) for attempt `attempt` (0-based). */
export function backoffWindow(
  attempt: number,
  opts: Pick<BackoffOptions, 'baseMs' | 'capMs' | 'factor'> = {},
): number {
  const base = opts.baseMs ?? 250;
  const cap = opts.capMs ?? 30_000;
  const factor = opts.factor ?? 2;
  // Clamp the exponent so factor^n never overflows to Infinity before the cap applies.
  const n = Math.max(0, Math.min(attempt, 64));
  return Math.min(cap, base * factor ** n);
}

/** The delay (ms) before retry number `attempt` (0-based). */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const window = backoffWindow(attempt, opts);
  if ((opts.jitter ?? 'full') === 'none') return window;
  const random = opts.random ?? Math.random;
  return Math.floor(random() * window);
}

/**
 * A stateful helper: `next()` returns the next delay and advances; `reset()` after a
 * connection proved healthy so the following failure starts small again.
 */
export class Backoff {
  private attempt = 0;
  constructor(private readonly opts: BackoffOptions = {}) {}

  next(): number {
    const d = backoffDelay(this.attempt, this.opts);
    this.attempt++;
    return d;
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}

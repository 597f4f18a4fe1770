/**
 * The adaptive coalescing window of an endpoint's flush (PROTOCOL.md § Delivery
 * latency). A TLS write costs the endpoint ~10-30 µs whatever it carries, so a hot feed
 * written once per post costs one record per post per client. The pacer spaces flush
 * passes: after a pass that cost `d` ms of the process's CPU (every slice and what ran
 * between them), the next pass starts no earlier than `gain × (d − thresholdMs)` ms
 * after it ended, capped at `maxWindowMs`. What arrives meanwhile rides in the same
 * write. CPU, not wall time: on a shared machine a pass over 1,000 clients took 20-80 ms
 * of wall time as the process was descheduled, for the same ~17 ms of work, and a window
 * opened by the scheduler's noise would only add latency.
 *
 * - Idle endpoint: the last pass is long over (or was cheap), so output owed now is
 *   written on the next turn, exactly as without a pacer.
 * - A pass within `thresholdMs` opens no window: the endpoint keeps up writing each post
 *   to every follower (1,000 clients: ~17 ms), and a window there would only add latency
 *   (1,000 clients × 50 posts/s: p99 ×1.6 the unpaced one's, bench:fanout).
 * - Busy endpoint: passes cost more than that (10,000 clients), the window grows, each
 *   write carries more; the added delay is at most `maxWindowMs`.
 *
 * Pure arithmetic over injected clocks (tests drive them with fake ones).
 */

export interface FlushPacerOptions {
  /** Longest added delay, ms. 0 turns pacing off (every pass on the next turn). */
  maxWindowMs: number;
  /** The window is this many times the last pass's CPU cost beyond `thresholdMs`. */
  gain: number;
  /** A pass that cost this much CPU (ms) or less opens no window. */
  thresholdMs: number;
}

/** Windows shorter than this are not worth a timer: the next turn is as good. */
const MIN_WINDOW_MS = 1;

export class FlushPacer {
  private windowMs = 0;
  private lastEndMs = Number.NEGATIVE_INFINITY;
  /** CPU time when the running pass started; null when none runs. */
  private passStartCpuMs: number | null = null;

  /** `now`: a monotonic clock (ms) for the window; `cpu`: the process's CPU time (ms). */
  constructor(
    private readonly options: FlushPacerOptions,
    private readonly now: () => number,
    private readonly cpu: () => number = now,
  ) {}

  /** The current window, ms (0 when idle). */
  get window(): number {
    return this.windowMs;
  }

  /**
   * How long to wait before the next pass, given output is owed now: 0 means the next
   * turn (no added delay).
   */
  delay(): number {
    if (this.windowMs < MIN_WINDOW_MS) return 0;
    const wait = this.lastEndMs + this.windowMs - this.now();
    return wait >= MIN_WINDOW_MS ? wait : 0;
  }

  /** A pass starts (its first slice). */
  started(): void {
    if (this.passStartCpuMs === null) this.passStartCpuMs = this.cpu();
  }

  /** The pass's last slice is written: the next window is set from its cost. */
  finished(): void {
    if (this.passStartCpuMs === null) return;
    const took = this.cpu() - this.passStartCpuMs;
    this.passStartCpuMs = null;
    this.lastEndMs = this.now();
    const { maxWindowMs, gain, thresholdMs } = this.options;
    const over = Math.max(0, took - thresholdMs);
    this.windowMs = maxWindowMs <= 0 ? 0 : Math.min(maxWindowMs, gain * over);
  }
}

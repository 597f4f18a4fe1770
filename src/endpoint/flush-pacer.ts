/**
 * The adaptive coalescing window of an endpoint's flush (PROTOCOL.md § Delivery
 * latency). A TLS write costs the endpoint ~10-30 µs whatever it carries, so a hot feed
 * written once per post costs one record per post per client. The pacer spaces flush
 * passes: after a pass that took `d` ms (wall time, every slice and the turns between
 * them, so it grows with event-loop lag too), the next pass starts no earlier than
 * `gain × (d − thresholdMs)` ms after it ended, capped at `maxWindowMs`. What arrives
 * meanwhile rides in the same write.
 *
 * - Idle endpoint: the last pass is long over (or was cheap), so output owed now is
 *   written on the next turn, exactly as without a pacer.
 * - A pass within `thresholdMs` opens no window: every follower already got the post
 *   within that time, which no reader notices, so a window would only add latency
 *   (1,000 clients × 50 posts/s: p99 ×1.6 the unpaced one's, bench:fanout).
 * - Busy endpoint: passes get longer than that, the window grows, each write carries
 *   more; the added delay is at most `maxWindowMs`.
 *
 * Pure arithmetic over an injected clock (tests drive it with a fake one).
 */

export interface FlushPacerOptions {
  /** Longest added delay, ms. 0 turns pacing off (every pass on the next turn). */
  maxWindowMs: number;
  /** The window is this many times the last pass's duration beyond `thresholdMs`. */
  gain: number;
  /** A pass this long or shorter opens no window. */
  thresholdMs: number;
}

/** Windows shorter than this are not worth a timer: the next turn is as good. */
const MIN_WINDOW_MS = 1;

export class FlushPacer {
  private windowMs = 0;
  private lastEndMs = Number.NEGATIVE_INFINITY;
  private passStartMs: number | null = null;

  constructor(
    private readonly options: FlushPacerOptions,
    private readonly now: () => number,
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
    if (this.passStartMs === null) this.passStartMs = this.now();
  }

  /** The pass's last slice is written: the next window is set from its duration. */
  finished(): void {
    if (this.passStartMs === null) return;
    const end = this.now();
    const took = end - this.passStartMs;
    this.passStartMs = null;
    this.lastEndMs = end;
    const { maxWindowMs, gain, thresholdMs } = this.options;
    const over = Math.max(0, took - thresholdMs);
    this.windowMs = maxWindowMs <= 0 ? 0 : Math.min(maxWindowMs, gain * over);
  }
}

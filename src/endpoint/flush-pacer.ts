/**
 * The adaptive coalescing window of an endpoint's flush (PROTOCOL.md § Delivery
 * latency). A TLS write costs the endpoint ~10-30 µs whatever it carries, so a hot feed
 * written once per post costs one record per post per client. The pacer spaces flush
 * passes: after a pass that took `d` ms (wall time, every slice and the turns between
 * them, so it grows with event-loop lag too), the next pass starts no earlier than
 * `gain × d` ms after it ended, capped at `maxWindowMs`, so flushing takes at most
 * 1 / (1 + gain) of the loop. What arrives meanwhile rides in the same write.
 *
 * - Idle endpoint: the last pass is long over (or was cheap), so output owed now is
 *   written on the next turn, exactly as without a pacer.
 * - A pass that cost `thresholdMs` of the process's CPU or less opens no window: the
 *   endpoint keeps up writing each post to every follower (1,000 clients: ~17 ms), and a
 *   window there would only add latency (1,000 clients × 50 posts/s: p99 ×1.44 the
 *   reference's with it, ×1.07 without; bench:fanout). CPU, not wall time, decides:
 *   on a shared machine that pass took 20-80 ms of wall time as the process was
 *   descheduled, for the same work; and the flushing thread's CPU, not the process's
 *   (thread-cpu.ts), or the GC's helper threads on the other core count too.
 * - One dear pass is noise, not load: a GC pause or another process's turn landed in it
 *   (1,000 clients × 50 posts/s: a few passes a run cost more than the threshold; each
 *   opened a window of up to 100 ms, the posts caught in it were the p99: ×1.72 the
 *   reference's, ×0.86 with no window, same run). So a window opens only after
 *   `afterPasses` passes IN A ROW each cost more than the threshold; any cheaper pass
 *   closes it and starts the count again.
 * - Busy endpoint: every pass costs more than that (10,000 clients), the window grows,
 *   each write carries more; the added delay is at most `maxWindowMs`.
 *
 * Pure arithmetic over injected clocks (tests drive them with fake ones).
 */

export interface FlushPacerOptions {
  /** Longest added delay, ms. 0 turns pacing off (every pass on the next turn). */
  maxWindowMs: number;
  /** The window is this many times the last pass's duration. */
  gain: number;
  /** A pass that cost this much CPU (ms) or less opens no window. */
  thresholdMs: number;
  /** Passes in a row that must each cost more than `thresholdMs` to open a window (≥ 1). */
  afterPasses: number;
}

/** Windows shorter than this are not worth a timer: the next turn is as good. */
const MIN_WINDOW_MS = 1;

export class FlushPacer {
  private windowMs = 0;
  private lastEndMs = Number.NEGATIVE_INFINITY;
  /** When the running pass started (null: none runs), on the clock and in CPU time. */
  private passStartMs: number | null = null;
  private passStartCpuMs = 0;
  /** Passes in a row, up to the last one, that cost more than the threshold. */
  private dearInARow = 0;

  /** `now`: a monotonic clock (ms) for the window; `cpu`: the flushing thread's CPU time (ms). */
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
    if (this.passStartMs !== null) return;
    this.passStartMs = this.now();
    this.passStartCpuMs = this.cpu();
  }

  /** The pass's last slice is written: the next window is set from its duration. */
  finished(): void {
    if (this.passStartMs === null) return;
    const end = this.now();
    const took = end - this.passStartMs;
    const cost = this.cpu() - this.passStartCpuMs;
    this.passStartMs = null;
    this.lastEndMs = end;
    const { maxWindowMs, gain, thresholdMs, afterPasses } = this.options;
    this.dearInARow = cost > thresholdMs ? this.dearInARow + 1 : 0;
    this.windowMs =
      maxWindowMs <= 0 || this.dearInARow < afterPasses ? 0 : Math.min(maxWindowMs, gain * took);
  }
}

/**
 * A manual clock implementing `Clock` from src/clock/clock.ts: timers fire only when
 * the test calls `advance`, so back-off schedules are checked without real sleeping.
 */
import type { Clock } from '../../src/clock/clock.js';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;
  /** Every delay passed to setTimeout, in order (for asserting back-off schedules). */
  readonly delays: number[] = [];

  constructor(private t = 0) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.delays.push(ms);
    this.timers.push({ id, at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }

  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }

  /** Fires the earliest timer whatever its delay; returns the delay it had. */
  fireNext(): number | undefined {
    this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
    const next = this.timers.shift();
    if (!next) return undefined;
    const waited = next.at - this.t;
    this.t = next.at;
    next.fn();
    return waited;
  }
}

/**
 * Real timers, but every delay is recorded and shortened to `fireAfterMs`: tests assert
 * the back-off schedule a source asked for while the run takes milliseconds.
 */
export class RecordingClock implements Clock {
  readonly delays: number[] = [];
  /** Delays at or above `keepRealFrom` (idle timeouts) run unchanged and are not recorded. */
  constructor(
    private readonly fireAfterMs = 1,
    private readonly keepRealFrom = Number.POSITIVE_INFINITY,
  ) {}

  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): unknown {
    if (ms >= this.keepRealFrom) return setTimeout(fn, ms).unref();
    this.delays.push(ms);
    return setTimeout(fn, Math.min(ms, this.fireAfterMs));
  }

  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }
}

/**
 * The catch-up step, sans I/O: subscribe first, hold the live posts that arrive while
 * the history is read, then release the history followed by only the held posts newer
 * than the last one it returned. Subscribing before reading means a post published in
 * between is both held and in history; the post-id comparison drops the copy, so the
 * consumer sees no gap and no duplicate (test/engine/catch-up.test.ts proves it for
 * every interleaving, with each bound policy).
 *
 * Two users, differing only in how they bound what is held:
 * - the endpoint's `start_feed` (bytes; past the bound the held posts are given up and
 *   the caller decides: today it re-reads history from where it is, see endpoint.ts);
 * - the Redis feeds' catch-up after an outage (a count; past it the oldest are dropped
 *   and the first released post is marked `gap`).
 *
 * The caller does the I/O: it calls `hold()` for each live batch while `holding`, and
 * `release(history)` once the history read is done. After release it hands live
 * posts through `fresh()` (which drops anything not newer than the last delivered) or,
 * on a path where the order is already guaranteed, straight on.
 */
import { comparePostIds } from '../protocol/index.js';

/** How held posts are bounded while the history read is in flight. */
export interface HoldBound<T> {
  /** Largest total weight held. */
  readonly max: number;
  /** The weight of one held item (1 for a count, its byte length for bytes). */
  weigh(item: T): number;
  /**
   * Past `max`: `'drop_oldest'` trims from the front (the release then reports
   * `heldDropped`, the consumer marks a gap); `'give_up'` empties the hold and reports
   * `overflowed` (the consumer re-reads history from `lastId`, or cuts the client).
   */
  readonly onExceed: 'drop_oldest' | 'give_up';
}

export interface Released<T> {
  /** What to deliver, in order: the history, then the held posts newer than it. */
  items: T[];
  /** Index in `items` of the first released held post (items.length if none). */
  heldFrom: number;
  /**
   * Held posts the history did not return were dropped (`drop_oldest`): the one at
   * `heldFrom` follows a gap.
   */
  heldDropped: boolean;
  /**
   * The hold was given up (`give_up`) and posts newer than the history are missing:
   * read again from `lastId` (or cut the consumer).
   */
  overflowed: boolean;
}

export class CatchUp<T> {
  /** True from construction (and `restart()`) until `release()`. */
  holding = true;
  private held: T[] = [];
  private heldWeight = 0;
  /** Newest id dropped (drop_oldest) or not kept (give_up): lost unless history has it. */
  private lostUpTo: string | undefined;
  private gaveUp = false;

  /**
   * @param lastId newest post id the consumer already has (a `since`), if any: nothing
   *   at or before it is released.
   */
  constructor(
    private readonly idOf: (item: T) => string,
    private readonly bound: HoldBound<T>,
    public lastId: string | undefined = undefined,
  ) {}

  /** Live items that arrived while holding. Returns false once the hold was given up. */
  hold(items: readonly T[]): boolean {
    if (this.gaveUp) {
      const last = items[items.length - 1];
      if (last !== undefined) this.lostUpTo = this.idOf(last);
      return false;
    }
    for (const item of items) {
      this.held.push(item);
      this.heldWeight += this.bound.weigh(item);
    }
    if (this.heldWeight <= this.bound.max) return true;
    if (this.bound.onExceed === 'give_up') {
      this.lostUpTo = this.idOf(this.held[this.held.length - 1]!);
      this.held = [];
      this.heldWeight = 0;
      this.gaveUp = true;
      return false;
    }
    let drop = 0;
    while (drop < this.held.length && this.heldWeight > this.bound.max)
      this.heldWeight -= this.bound.weigh(this.held[drop++]!);
    this.lostUpTo = this.idOf(this.held[drop - 1]!);
    this.held.splice(0, drop);
    return true;
  }

  /** Weight currently held. */
  get heldSize(): number {
    return this.heldWeight;
  }

  /**
   * The history read is done (`history`: in order, after `lastId` when one was given).
   * Stops holding and returns what to deliver.
   */
  release(history: readonly T[]): Released<T> {
    const items = this.fresh(history);
    const heldFrom = items.length;
    // Posts not kept are lost only if the history read did not return them.
    const lost = this.lostUpTo !== undefined && this.isNew(this.lostUpTo);
    for (const item of this.fresh(this.held)) items.push(item);
    const out: Released<T> = {
      items,
      heldFrom,
      heldDropped: lost && !this.gaveUp && items.length > heldFrom,
      overflowed: lost && this.gaveUp,
    };
    this.holding = false;
    this.held = [];
    this.heldWeight = 0;
    this.lostUpTo = undefined;
    this.gaveUp = false;
    return out;
  }

  private isNew(id: string): boolean {
    return this.lastId === undefined || comparePostIds(id, this.lastId) > 0;
  }

  /** The items newer than the last delivered, in order; advances `lastId`. */
  fresh(items: readonly T[]): T[] {
    const out: T[] = [];
    for (const item of items) {
      const id = this.idOf(item);
      if (!this.isNew(id)) continue;
      out.push(item);
      this.lastId = id;
    }
    return out;
  }

  /** Holds again (an outage: the history after `lastId` is read again). */
  restart(): void {
    this.holding = true;
  }
}

/**
 * Paced backlogs: what a `start_feed` owes (its backlog or the posts after `since`, its
 * `feed_started`, and the live posts that arrive meanwhile) is handed to the client's
 * output queue as the connection drains, not all at once. Resuming one movie from an
 * old `since` is ~210 KB (500 posts); resuming three at once queued ~630 KB and passed
 * the 256 KiB slow-consumer bound, so a client that read as fast as it could was cut,
 * reconnected, resumed and was cut again (issue 15: two SDK clients still behind 36 s
 * after a 45 s stall). Paced, the output holds at most `target` bytes of them at a time.
 *
 * Sans I/O: the session asks `take(unsent)` whenever its connection may have drained
 * (a write left the process, the kernel's queue was measured) and queues what it gets.
 * The kernel's send queue is measured only every `kernelQueueCheckMs`; bytes handed out
 * since the last measurement are counted as still unsent (`countUnmeasured`), so a
 * client that is not reading never receives more than `target` between two checks.
 */

/** The lines one feed still owes before it is live. */
export class PendingFeed {
  private lines: Buffer[];
  private at = 0;
  /** Bytes of live posts added while pending (bounded: see `addLive`). */
  private liveBytes = 0;
  /** The feed was stopped or restarted: what is left is not owed any more. */
  dropped = false;

  /**
   * @param lines the backlog, its `feed_started`, the live posts held while it was read
   * @param maxLiveBytes live bytes a pending feed may gather (the slow-consumer bound)
   * @param live called once everything is handed out: the feed's posts go straight on
   */
  constructor(
    lines: Buffer[],
    private readonly maxLiveBytes: number,
    readonly live: () => void,
  ) {
    this.lines = lines;
  }

  /** Live posts arriving while pending go behind it. False: past the bound (cut the client). */
  addLive(lines: readonly Buffer[], bytes: number): boolean {
    this.liveBytes += bytes;
    if (this.liveBytes > this.maxLiveBytes) return false;
    for (const line of lines) this.lines.push(line);
    return true;
  }

  /** Hands out lines up to `room` bytes (at least one); `done` once none are left. */
  take(room: number, out: Buffer[]): number {
    let bytes = 0;
    while (this.at < this.lines.length && (bytes === 0 || bytes < room)) {
      const line = this.lines[this.at]!;
      // Past lines are released as they go: a 500-post resume is not kept twice.
      this.lines[this.at++] = EMPTY;
      out.push(line);
      bytes += line.length;
    }
    return bytes;
  }

  get done(): boolean {
    return this.at >= this.lines.length;
  }
}

const EMPTY = Buffer.alloc(0);

export class BacklogPacer {
  private readonly queue: PendingFeed[] = [];
  /** Bytes handed out since the kernel's queue was last measured. */
  private sinceMeasured = 0;
  /**
   * After `take`: feeds are left and only unmeasured bytes held them back, so measuring
   * the kernel's queue sooner than the regular check would let the pacing go on (a
   * client that reads fast is then paced by its reading, not by the check interval).
   */
  waitingForMeasure = false;

  /**
   * @param target bytes of unsent output below which more is handed out
   * @param countUnmeasured the connection's kernel queue is measured (then bytes handed
   *   out since the last measurement count as unsent until the next)
   */
  constructor(
    private readonly target: number,
    private readonly countUnmeasured: boolean,
  ) {}

  add(feed: PendingFeed): void {
    this.queue.push(feed);
  }

  /** Feeds still pending (dropped ones included until they are reached). */
  get size(): number {
    return this.queue.length;
  }

  /** The kernel's queue was just measured: it now holds what was handed out before. */
  measured(): void {
    this.sinceMeasured = 0;
  }

  /**
   * What may be queued now, feeds in the order they were started (each one's
   * `feed_started` before the next one's posts), given `unsent` bytes not yet delivered.
   */
  take(unsent: number): { lines: Buffer[]; bytes: number } | null {
    let room = this.target - unsent - (this.countUnmeasured ? this.sinceMeasured : 0);
    this.waitingForMeasure = false;
    const lines: Buffer[] = [];
    let bytes = 0;
    while (room > 0 && this.queue.length > 0) {
      const feed = this.queue[0]!;
      if (!feed.dropped) {
        const n = feed.take(room, lines);
        bytes += n;
        room -= n;
        if (!feed.done) break;
        feed.live();
      }
      this.queue.shift();
    }
    // Fully handed-out feeds go live even when they added no bytes (the room ran out
    // exactly at their end): nothing is left to pump for them.
    while (this.queue.length > 0 && (this.queue[0]!.dropped || this.queue[0]!.done)) {
      const feed = this.queue.shift()!;
      if (!feed.dropped) feed.live();
    }
    this.sinceMeasured += bytes;
    // Held back only by bytes not yet measured: a fresh measurement may free room.
    this.waitingForMeasure =
      this.countUnmeasured && this.queue.length > 0 && room <= 0 && this.sinceMeasured > 0;
    return lines.length === 0 ? null : { lines, bytes };
  }
}

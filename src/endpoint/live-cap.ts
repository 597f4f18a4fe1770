/**
 * The live rate cap of one feed (PROTOCOL.md § Hot feeds): what a person can read. A
 * movie with hundreds of posts a second is not a feed anyone reads live, and writing
 * all of them costs every follower's radio and battery. So a v2 client that asks for it
 * (`connect {live_cap: true}`: an app showing the feed to a person) gets at most
 * `perSecond` live posts a second per feed (bursts of `burst`); the posts above it are
 * skipped live and counted, and the next post delivered carries that count (`skipped`)
 * so the app can say "+37 more". Skipped posts stay in the movie's history, reachable
 * with `since`.
 *
 * One cap per movie per endpoint, shared by all its capped followers: each post is decided
 * once, so the delivered copy is still encoded once for all of them.
 */
import type { Clock } from '../clock/clock.js';
import { TokenBucket } from './token-bucket.js';

/** What a delivered post carries about the posts skipped before it. */
export interface Admitted {
  /** Posts of this feed skipped live since the previous delivered one. */
  skipped: number;
  /** A skipped post had `gap` (posts lost before it): the flag moves to this one. */
  gap: boolean;
}

export class LiveCap {
  private readonly bucket: TokenBucket;
  private skipped = 0;
  private gapSkipped = false;

  constructor(perSecond: number, burst: number, clock: Pick<Clock, 'now'>) {
    this.bucket = new TokenBucket(perSecond, Math.max(1, burst), clock);
  }

  /** Decides one live post: null when it is skipped, else what its copy carries. */
  admit(gap: boolean): Admitted | null {
    if (!this.bucket.take()) {
      this.skipped++;
      if (gap) this.gapSkipped = true;
      return null;
    }
    const admitted = { skipped: this.skipped, gap: gap || this.gapSkipped };
    this.skipped = 0;
    this.gapSkipped = false;
    return admitted;
  }
}

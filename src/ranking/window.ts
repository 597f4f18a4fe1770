/**
 * The rolling hour: per-movie post counts over the past 60 minutes in per-minute
 * buckets, by post time. Pure — `now` is always a parameter — so tests slide the
 * window minute by minute without sleeping, and the Redis engine mirrors the same
 * rules (see ARCHITECTURE.md § Counting).
 *
 * Rules:
 * - A post counts in the minute of its time `at`; the window ending at `now` holds the
 *   current minute and the 59 before it, so a minute ages out whole at the boundary
 *   60 minutes after it began — also when no new posts arrive.
 * - A post seen twice (same key) within the window counts once — also when its two
 *   copies carry different times (a replay counted at arrival, a source that re-stamps):
 *   one map of every key counted in the window, each forgotten when the minute it was
 *   counted in ages out.
 * - One author adds at most `authorCap` to one movie per window.
 * - Posts outside the window (older than an hour, or more than `maxSkewMs` ahead of
 *   `now`) are rejected: they neither count nor reach the feed.
 */

export const WINDOW_MINUTES = 60;
export const MINUTE_MS = 60_000;

/**
 * Default cap on what one author contributes to one movie in the window: 3 posts an hour.
 * Why 3: a fan who just saw a film posts about it a few times (a reaction, a reply, a
 * short thread) and all of that is real interest; past that the posts come from one
 * voice repeating itself (a bot, a promo account, a spammer), and one account must not
 * move the ranking alone (issue 3 §3). At 3, an account posting every minute adds 3,
 * not 60, to a film's hour — while a film ranked by real talk (hundreds of distinct
 * authors an hour at the top of the chart) is unaffected. Capped posts still reach the
 * movie's feed; they only do not count. The quota comes back as the minute holding the
 * author's post ages out, so the cap is "3 in any 60 minutes", not "3 per clock hour".
 */
export const DEFAULT_AUTHOR_CAP = 3;
/** How far in the future a post time may be (clock skew of the source) and still count. */
export const DEFAULT_MAX_SKEW_MS = 5 * MINUTE_MS;

export interface CountInput {
  /** Unique post key, e.g. `${source}:${id}`. */
  key: string;
  author: string;
  movieIds: readonly number[];
  /** Post time, ms since epoch. */
  at: number;
}

export type CountOutcome =
  | { kind: 'counted'; movieIds: number[]; capped: number }
  | { kind: 'duplicate' }
  | { kind: 'outside_window' };

interface Bucket {
  minute: number;
  counts: Map<number, number>;
  keys: Set<string>;
  /** `author\0movie` per counted pair, to give the author's quota back when it ages out. */
  authorPairs: string[];
}

export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS);

export class RollingCounts {
  private readonly buckets = new Map<number, Bucket>();
  private readonly perAuthor = new Map<string, number>();
  /** Per-movie sum over `buckets`, kept as posts count and minutes age out. */
  private readonly running = new Map<number, number>();
  /** Every key counted in the window (the buckets' `keys`, merged, for one lookup). */
  private readonly seen = new Set<string>();
  /** No bucket is older than this minute, so `expire` has nothing to do before it moves. */
  private oldestKept = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly authorCap = DEFAULT_AUTHOR_CAP,
    private readonly maxSkewMs = DEFAULT_MAX_SKEW_MS,
  ) {}

  /** Counts one post at `now`. */
  add(post: CountInput, now: number): CountOutcome {
    this.expire(now);
    const minute = minuteOf(post.at);
    if (minute <= minuteOf(now) - WINDOW_MINUTES || post.at > now + this.maxSkewMs)
      return { kind: 'outside_window' };
    let bucket = this.buckets.get(minute);
    if (bucket === undefined) {
      bucket = { minute, counts: new Map(), keys: new Set(), authorPairs: [] };
      this.buckets.set(minute, bucket);
      // A clock that stepped back may open a minute older than the last sweep's bound.
      if (minute < this.oldestKept) this.oldestKept = minute;
    }
    if (this.seen.has(post.key)) return { kind: 'duplicate' };
    this.seen.add(post.key);
    bucket.keys.add(post.key);
    const counted: number[] = [];
    let capped = 0;
    for (const movieId of post.movieIds) {
      const pair = `${post.author}\0${movieId}`;
      const used = this.perAuthor.get(pair) ?? 0;
      if (used >= this.authorCap) {
        capped++;
        continue;
      }
      this.perAuthor.set(pair, used + 1);
      bucket.authorPairs.push(pair);
      bucket.counts.set(movieId, (bucket.counts.get(movieId) ?? 0) + 1);
      this.running.set(movieId, (this.running.get(movieId) ?? 0) + 1);
      counted.push(movieId);
    }
    return { kind: 'counted', movieIds: counted, capped };
  }

  /** Per-movie totals over the window ending at `now` (a copy; O(movies), not O(minutes)). */
  totals(now: number): Map<number, number> {
    this.expire(now);
    return new Map(this.running);
  }

  /**
   * Per movie: the window's count, the posts of the `recentMinutes` whole minutes
   * before the current one, and the current minute's (the inputs of trend.ts).
   */
  activity(
    now: number,
    recentMinutes: number,
  ): Map<number, { count: number; recent: number; current: number }> {
    this.expire(now);
    const out = new Map<number, { count: number; recent: number; current: number }>();
    for (const [id, count] of this.running) out.set(id, { count, recent: 0, current: 0 });
    const cur = minuteOf(now);
    for (let m = cur - recentMinutes; m <= cur; m++) {
      const bucket = this.buckets.get(m);
      if (bucket === undefined) continue;
      for (const [id, n] of bucket.counts) {
        const a = out.get(id);
        if (a === undefined) continue;
        if (m === cur) a.current += n;
        else a.recent += n;
      }
    }
    return out;
  }

  /** Drops the buckets that left the window and gives their authors' quota back. */
  private expire(now: number): void {
    const oldest = minuteOf(now) - WINDOW_MINUTES + 1;
    // Called per post: within a minute nothing ages out, so skip the walk over 60 buckets.
    if (oldest <= this.oldestKept) return;
    this.oldestKept = oldest;
    for (const [minute, bucket] of this.buckets) {
      if (minute >= oldest) continue;
      for (const pair of bucket.authorPairs) {
        const left = (this.perAuthor.get(pair) ?? 1) - 1;
        if (left <= 0) this.perAuthor.delete(pair);
        else this.perAuthor.set(pair, left);
      }
      for (const [id, n] of bucket.counts) {
        const left = (this.running.get(id) ?? n) - n;
        if (left <= 0) this.running.delete(id);
        else this.running.set(id, left);
      }
      for (const key of bucket.keys) this.seen.delete(key);
      this.buckets.delete(minute);
    }
  }
}

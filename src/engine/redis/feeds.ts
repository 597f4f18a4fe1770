/**
 * Live posts of the movies an endpoint watches: one sharded channel per movie,
 * subscribed only while watched. Each subscription remembers the last post id it
 * delivered; after the subscription connection comes back (Redis restarted, failover)
 * it reads the history after that id, then releases the live posts that arrived
 * meanwhile, dropping anything not newer — so the listener sees every post that
 * reached history, in order, once, across outages.
 *
 * A lost subscription is not always reported: after a Cluster failover the library
 * moves the subscription to the promoted replica by itself, and messages published
 * before it got there are gone without any node having been "down" for us. So each
 * message names the post before it (`prev`, set by the append script): a message whose
 * prev is newer than the last delivered id reveals a missed one, and the subscription
 * catches up from history before delivering it.
 */
import { after, type Clock, realClock } from '../../clock/clock.js';
import { comparePostIds, isTweet } from '../../protocol/index.js';
import type { RedisConnection } from '../../store/redis/connection.js';
import type { RedisKeys } from '../../store/redis/keys.js';
import { CatchUp, type HoldBound } from '../catch-up.js';
import type { FeedListener, FeedPost } from '../engine.js';
import type { RedisHistory } from './history.js';

interface Subscription {
  listener: FeedListener;
  /**
   * Holds live posts while history is read (on subscribing and after each recovery or
   * detected miss); its `lastId` is the newest post id delivered (or known to be in
   * history when subscribing).
   */
  catchUp: CatchUp<FeedPost>;
}

/** Catch-up attempts after a recovery before live posts are released anyway. */
const CATCH_UP_ATTEMPTS = 10;
const CATCH_UP_RETRY_MS = 500;

const postIdOf = (p: FeedPost) => p.postId;

export class RedisFeeds {
  private readonly subs = new Map<number, Subscription>();
  /** Channels whose SUNSUBSCRIBE failed (Redis was down): retried on recovery. */
  private readonly stale = new Set<number>();
  private readonly onMessage = (message: string, channel: string) => this.receive(message, channel);
  /**
   * A catch-up that keeps failing (≤ 10 × 500 ms) must not hold a hot movie unbounded:
   * at most `historyCap` posts, oldest dropped, the first released one marked `gap`.
   */
  private readonly bound: HoldBound<FeedPost>;
  private closed = false;

  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly history: RedisHistory,
    private readonly historyCap: number,
    private readonly clock: Clock = realClock,
  ) {
    this.bound = { max: historyCap, weigh: () => 1, onExceed: 'drop_oldest' };
    conn.onRecovered(() => this.recover());
  }

  get watched(): number {
    return this.subs.size;
  }

  async subscribe(movieId: number, listener: FeedListener): Promise<void> {
    const sub: Subscription = { listener, catchUp: new CatchUp(postIdOf, this.bound) };
    this.subs.set(movieId, sub);
    this.stale.delete(movieId);
    try {
      await this.conn.sSubscribe(this.keys.postsChannel(movieId), this.onMessage);
      // Where live starts: anything newer than the newest post now in history.
      const { posts } = await this.history.query(movieId, { limit: 1 });
      sub.catchUp.lastId = posts[0]?.postId ?? '0-0';
      this.deliver(sub, sub.catchUp.release([]));
    } catch (err) {
      if (this.subs.get(movieId) === sub) {
        this.subs.delete(movieId);
        this.conn.sUnsubscribe(this.keys.postsChannel(movieId), this.onMessage).catch(() => {
          this.stale.add(movieId);
        });
      }
      throw err;
    }
  }

  async unsubscribe(movieId: number): Promise<void> {
    if (!this.subs.delete(movieId)) return;
    try {
      await this.conn.sUnsubscribe(this.keys.postsChannel(movieId), this.onMessage);
    } catch {
      this.stale.add(movieId); // retried on recovery; its messages are ignored meanwhile
    }
  }

  close(): void {
    this.closed = true;
    this.subs.clear();
  }

  private receive(message: string, channel: string): void {
    const movieId = this.keys.movieOfChannel(channel);
    if (movieId === undefined) return;
    const sub = this.subs.get(movieId);
    if (sub === undefined) return;
    const { prev, posts } = parsePosts(movieId, message);
    const { catchUp } = sub;
    if (
      !catchUp.holding &&
      prev !== undefined &&
      catchUp.lastId !== undefined &&
      comparePostIds(prev, catchUp.lastId) > 0
    ) {
      // A message between the last delivered post and this one never reached us.
      catchUp.restart();
      void this.catchUp(movieId, sub, 0);
    }
    if (catchUp.holding) {
      catchUp.hold(posts);
      return;
    }
    const fresh = catchUp.fresh(posts);
    if (fresh.length > 0) sub.listener(fresh);
  }

  /**
   * Hands on a release; `gap` marks the first history post when history no longer
   * reached back (`historyGap`), and the first held post when held ones were dropped
   * or history could not be read at all (`heldGap`).
   */
  private deliver(
    sub: Subscription,
    released: { items: FeedPost[]; heldFrom: number; heldDropped: boolean },
    historyGap = false,
    heldGap = false,
  ): void {
    const { items, heldFrom } = released;
    if (items.length === 0) return;
    if (historyGap && heldFrom > 0) items[0] = { ...items[0]!, gap: true };
    if ((released.heldDropped || heldGap) && heldFrom < items.length)
      items[heldFrom] = { ...items[heldFrom]!, gap: true };
    sub.listener(items);
  }

  private recover(): void {
    for (const movieId of [...this.stale]) {
      if (this.subs.has(movieId)) continue;
      this.conn.sUnsubscribe(this.keys.postsChannel(movieId), this.onMessage).then(
        () => this.stale.delete(movieId),
        () => {},
      );
    }
    for (const [movieId, sub] of this.subs) {
      if (sub.catchUp.holding) continue;
      sub.catchUp.restart();
      void this.catchUp(movieId, sub, 0);
    }
  }

  private async catchUp(movieId: number, sub: Subscription, attempt: number): Promise<void> {
    try {
      const { posts, gap } = await this.history.query(movieId, {
        since: sub.catchUp.lastId ?? '0-0',
        limit: this.historyCap,
      });
      if (this.subs.get(movieId) !== sub) return;
      // More than the history cap arrived while we were away: say so on the first one.
      this.deliver(sub, sub.catchUp.release(posts), gap);
    } catch {
      if (this.closed || this.subs.get(movieId) !== sub) return;
      if (attempt + 1 >= CATCH_UP_ATTEMPTS) {
        // History stayed unreadable: release what was held, marked as following a gap.
        this.deliver(sub, sub.catchUp.release([]), false, true);
        return;
      }
      after(this.clock, CATCH_UP_RETRY_MS, () => void this.catchUp(movieId, sub, attempt + 1));
    }
  }
}

/**
 * A channel message `["<prev id>",["<id>",<tweet>],…]` (written by the append script;
 * messages without the leading prev, from an older feeder, are read too).
 */
function parsePosts(movieId: number, message: string): { prev?: string; posts: FeedPost[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return { posts: [] };
  }
  if (!Array.isArray(parsed)) return { posts: [] };
  const posts: FeedPost[] = [];
  for (const item of parsed) {
    if (!Array.isArray(item) || typeof item[0] !== 'string' || !isTweet(item[1])) continue;
    posts.push({ movieId, postId: item[0], tweet: item[1] });
  }
  return typeof parsed[0] === 'string' ? { prev: parsed[0], posts } : { posts };
}

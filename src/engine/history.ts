/** A capped ring of one movie's recent posts, oldest first. */
import { comparePostIds } from '../protocol/index.js';
import type { FeedPost, HistoryQuery, HistoryResult } from './engine.js';

export class HistoryRing {
  private readonly items: FeedPost[] = [];
  private head = 0;
  /** Set once a post was dropped for space: from then on an old `since` may leave a gap. */
  private evicted: string | null = null;

  constructor(private readonly capacity: number) {}

  push(post: FeedPost): void {
    if (this.items.length < this.capacity) {
      this.items.push(post);
      return;
    }
    this.evicted = this.items[this.head]!.postId;
    this.items[this.head] = post;
    this.head = (this.head + 1) % this.capacity;
  }

  query(q: HistoryQuery): HistoryResult {
    const n = this.items.length;
    const ordered: FeedPost[] = new Array(n);
    for (let i = 0; i < n; i++) ordered[i] = this.items[(this.head + i) % n]!;
    if (q.since === undefined)
      return { posts: ordered.slice(Math.max(0, n - q.limit)), gap: false };
    const since = q.since;
    const after = ordered.filter((p) => comparePostIds(p.postId, since) > 0);
    // A gap: posts after `since` were evicted (the oldest kept is newer than `since`
    // and something older than it was dropped after `since`).
    const gap = this.evicted !== null && comparePostIds(this.evicted, since) > 0;
    return { posts: after.slice(Math.max(0, after.length - q.limit)), gap };
  }
}

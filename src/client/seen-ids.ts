/**
 * The post ids a feed has delivered, to drop repeats (PROTOCOL.md § 6: post ids are
 * opaque, so a client dedupes by remembering ids, never by comparing them). Bounded:
 * no resume replays more than the server's history (HISTORY_PER_MOVIE posts), so
 * remembering that many of the latest ids catches every repeat a resume can cause.
 */
import { HISTORY_PER_MOVIE } from '../protocol/index.js';

export class SeenIds {
  /** Insertion-ordered: the first entry is the oldest, evicted first. */
  private readonly ids = new Set<string>();

  constructor(private readonly cap: number = HISTORY_PER_MOVIE) {}

  /** Records `id`; false when it was already seen. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.cap) {
      const oldest = this.ids.values().next();
      if (oldest.done !== true) this.ids.delete(oldest.value);
    }
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}

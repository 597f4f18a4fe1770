/**
 * What `filmgrain watch` shows, independent of how: the ranking with its moves, the
 * selection, the followed movie's recent posts (bounded), and the connection status.
 */
import type { Post, Ranking } from '../../client/index.js';
import type { RankedMovie } from '../../protocol/index.js';
import { sanitize } from './width.js';

export type Move = 'up' | 'down' | 'new' | 'same';

export interface FeedItem {
  time: string;
  author: string;
  text: string;
  gap: boolean;
  /** Posts the live cap did not send before this one ("+N more"). */
  skipped: number;
}

/** Posts kept for the feed pane: more than any terminal shows. */
export const FEED_KEEP = 200;

export class WatchModel {
  movies: RankedMovie[] = [];
  moves = new Map<number, Move>();
  selected = 0;
  followed: number | undefined;
  feed: FeedItem[] = [];
  state = 'idle';
  endpoint = '';
  rttMs: number | undefined;
  reconnects = 0;
  notice = '';

  setRanking(r: Ranking): void {
    const before = new Map(this.movies.map((m) => [m.id, m.rank]));
    const selectedId = this.movies[this.selected]?.id;
    this.movies = r.movies;
    for (const m of r.movies) {
      const was = before.get(m.id);
      // A move stays shown until the movie's rank changes again.
      if (was === undefined) this.moves.set(m.id, before.size === 0 ? 'same' : 'new');
      else if (m.rank < was) this.moves.set(m.id, 'up');
      else if (m.rank > was) this.moves.set(m.id, 'down');
    }
    for (const id of this.moves.keys())
      if (!r.movies.some((m) => m.id === id)) this.moves.delete(id);
    // The selection stays on its movie when the order changes.
    const i = r.movies.findIndex((m) => m.id === selectedId);
    this.selected = i !== -1 ? i : Math.min(this.selected, Math.max(0, r.movies.length - 1));
  }

  move(delta: number): void {
    this.selected = Math.max(0, Math.min(this.movies.length - 1, this.selected + delta));
  }

  selectedMovie(): RankedMovie | undefined {
    return this.movies[this.selected];
  }

  title(id: number | undefined): string {
    if (id === undefined) return '';
    return this.movies.find((m) => m.id === id)?.title ?? `movie ${id}`;
  }

  follow(id: number): void {
    this.followed = id;
    this.feed = [];
  }

  addPost(p: Post): void {
    if (p.movieId !== this.followed) return;
    const u = p.tweet.user;
    const created = new Date(p.tweet.created_at);
    const at = Number.isNaN(created.getTime()) ? new Date() : created;
    this.feed.push({
      time: at.toTimeString().slice(0, 5),
      author: sanitize(u.handle ? `@${u.handle}` : u.name),
      text: sanitize(p.tweet.text).trim(),
      gap: p.gap,
      skipped: p.skipped,
    });
    if (this.feed.length > FEED_KEEP) this.feed.splice(0, this.feed.length - FEED_KEEP);
  }
}

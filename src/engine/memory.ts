/**
 * The in-process engine: the zero-setup default. Feeder and endpoint share one
 * process; the engine keeps the same contract as the Redis engine (see the engine
 * contract tests), so nothing above it can tell them apart except by speed.
 */
import { HISTORY_PER_MOVIE, PostIdClock } from '../protocol/index.js';
import { TREND_RECENT_MINUTES } from '../protocol/limits.js';
import type { MovieActivity } from '../ranking/trend.js';
import { DEFAULT_AUTHOR_CAP, RollingCounts } from '../ranking/window.js';
import type {
  Engine,
  EngineStatus,
  FeedListener,
  FeedPost,
  HistoryQuery,
  HistoryResult,
  IngestPost,
  IngestResult,
  Ranking,
} from './engine.js';
import { HistoryRing } from './history.js';

export interface MemoryEngineOptions {
  /** Posts kept per movie for `start_feed` backlog and resume. Default HISTORY_PER_MOVIE. */
  historyPerMovie?: number;
  /** Per-author, per-movie hourly cap. Default DEFAULT_AUTHOR_CAP. */
  authorCap?: number;
  /** The clock, for tests. Default Date.now. */
  now?: () => number;
}

interface MovieState {
  history: HistoryRing;
  ids: PostIdClock;
}

export class MemoryEngine implements Engine {
  readonly kind = 'memory' as const;
  private readonly counts_: RollingCounts;
  private readonly movies = new Map<number, MovieState>();
  private readonly feedListeners = new Map<number, FeedListener>();
  private readonly rankingListeners = new Set<(r: Ranking) => void>();
  private ranking: Ranking | null = null;
  private readonly now: () => number;
  private readonly historyPerMovie: number;

  constructor(options: MemoryEngineOptions = {}) {
    this.now = options.now ?? Date.now;
    this.historyPerMovie = options.historyPerMovie ?? HISTORY_PER_MOVIE;
    this.counts_ = new RollingCounts(options.authorCap ?? DEFAULT_AUTHOR_CAP);
  }

  async ingest(posts: IngestPost[]): Promise<IngestResult> {
    const now = this.now();
    const result: IngestResult = { accepted: 0, duplicates: 0, capped: 0 };
    const live = new Map<number, FeedPost[]>();
    for (const post of posts) {
      const outcome = this.counts_.add(
        {
          key: `${post.tweet.source}:${post.tweet.id}`,
          author: post.tweet.user.id,
          movieIds: post.movieIds,
          at: post.at,
        },
        now,
      );
      if (outcome.kind === 'duplicate') {
        result.duplicates++;
        continue;
      }
      if (outcome.kind === 'outside_window') continue;
      result.accepted++;
      result.capped += outcome.capped;
      for (const movieId of post.movieIds) {
        const movie = this.movie(movieId);
        const feedPost: FeedPost = { movieId, postId: movie.ids.next(now), tweet: post.tweet };
        movie.history.push(feedPost);
        if (!this.feedListeners.has(movieId)) continue;
        const batch = live.get(movieId);
        if (batch === undefined) live.set(movieId, [feedPost]);
        else batch.push(feedPost);
      }
    }
    for (const [movieId, batch] of live) this.feedListeners.get(movieId)?.(batch);
    return result;
  }

  async counts(now: number): Promise<Map<number, number>> {
    return this.counts_.totals(now);
  }

  async activity(now: number): Promise<Map<number, MovieActivity>> {
    return this.counts_.activity(now, TREND_RECENT_MINUTES);
  }

  async setRanking(ranking: Ranking): Promise<void> {
    this.ranking = ranking;
    for (const listener of this.rankingListeners) listener(ranking);
  }

  async getRanking(): Promise<Ranking | null> {
    return this.ranking;
  }

  onRanking(listener: (r: Ranking) => void): () => void {
    this.rankingListeners.add(listener);
    return () => this.rankingListeners.delete(listener);
  }

  async subscribe(movieId: number, listener: FeedListener): Promise<void> {
    this.feedListeners.set(movieId, listener);
  }

  async unsubscribe(movieId: number): Promise<void> {
    this.feedListeners.delete(movieId);
  }

  async history(movieId: number, query: HistoryQuery): Promise<HistoryResult> {
    const movie = this.movies.get(movieId);
    return movie === undefined ? { posts: [], gap: false } : movie.history.query(query);
  }

  onStatus(_listener: (s: EngineStatus) => void): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    this.feedListeners.clear();
    this.rankingListeners.clear();
  }

  private movie(movieId: number): MovieState {
    let m = this.movies.get(movieId);
    if (m === undefined) {
      m = { history: new HistoryRing(this.historyPerMovie), ids: new PostIdClock() };
      this.movies.set(movieId, m);
    }
    return m;
  }
}

/**
 * The engine: what feeders and endpoints share — posts, their recent history per movie,
 * the rolling-hour counts and the published ranking. Designed for a networked store
 * (Redis): every call is asynchronous and batched, and nothing crosses it by reference
 * (a listener gets values it may keep; the engine never hands out its own state).
 */
import type { RankedMovie, Tweet } from '../protocol/index.js';
import type { MovieActivity } from '../ranking/trend.js';

/** A post the feeder matched to one or more movies. */
export interface IngestPost {
  tweet: Tweet;
  movieIds: number[];
  /** Post time (ms since epoch) used for counting; normally `Date.parse(tweet.created_at)`. */
  at: number;
}

export interface IngestResult {
  /** Posts appended to history and published (first time seen). */
  accepted: number;
  /** Posts already ingested (same `source` + `id`), dropped whole. */
  duplicates: number;
  /** (post, movie) pairs not counted because the author hit the per-movie hourly cap. */
  capped: number;
}

/** A post in a movie's history. `postId` orders it within that movie. */
export interface FeedPost {
  movieId: number;
  postId: string;
  tweet: Tweet;
  /**
   * On a live post: the engine lost its subscription for a while (a store outage) and
   * its history no longer reached back to the last post it had delivered, so posts
   * between that one and this one are gone. Clients see it as `post_tweet.gap`.
   */
  gap?: true;
}

export interface Ranking {
  /** ms since epoch when it was computed. */
  generatedAt: number;
  movies: RankedMovie[];
}

export interface HistoryQuery {
  /** Only posts after this `postId`. */
  since?: string;
  /** At most this many, the most recent ones, returned oldest first. */
  limit: number;
}

export interface HistoryResult {
  posts: FeedPost[];
  /**
   * True when `since` was given but is older than the oldest post kept: posts between
   * it and `posts[0]` are gone.
   */
  gap: boolean;
}

export type FeedListener = (posts: FeedPost[]) => void;

/** Health of the engine's connection to its store; the in-process engine is always up. */
export type EngineStatus = 'up' | 'down';

export interface Engine {
  readonly kind: 'memory' | 'redis';

  // ---- feeder side ----
  /**
   * Deduplicates, counts (per-minute buckets, per-author cap), appends to each movie's
   * history and publishes — one batch, one round trip where the store allows.
   */
  ingest(posts: IngestPost[]): Promise<IngestResult>;
  /** Per-movie counts over the hour ending at `now`. */
  counts(now: number): Promise<Map<number, number>>;
  /**
   * Per-movie counts with the per-minute sums the trend is computed from (see
   * src/ranking/trend.ts), one round trip; movies with no post in the hour are absent.
   */
  activity(now: number): Promise<Map<number, MovieActivity>>;
  /** Publishes a ranking to every endpoint (and stores it for late joiners). */
  setRanking(ranking: Ranking): Promise<void>;

  // ---- endpoint side ----
  /** The latest ranking, or null before any was published. */
  getRanking(): Promise<Ranking | null>;
  /** Called with every newly published ranking. Returns an unsubscribe function. */
  onRanking(listener: (ranking: Ranking) => void): () => void;
  /**
   * Live posts of one movie. One listener per movie per engine instance: the endpoint
   * fans out to its own clients. Resolves once the subscription is active, so posts
   * published afterwards are delivered.
   */
  subscribe(movieId: number, listener: FeedListener): Promise<void>;
  unsubscribe(movieId: number): Promise<void>;
  history(movieId: number, query: HistoryQuery): Promise<HistoryResult>;

  /** Status changes of the connection to the store. */
  onStatus(listener: (status: EngineStatus) => void): () => void;
  close(): Promise<void>;
}

/**
 * The Redis engine: the same contract as the in-process engine (see
 * test/engine/contract.ts), over Redis or Redis Cluster, so feeders and endpoints can
 * run as separate processes on separate machines.
 *
 * ingest = one counting script on `{c}` (dedupe, per-author cap, window) for the whole
 * batch, then one append+publish script per movie on `{m<id>}` (in parallel; node-redis
 * pipelines them), then a confirmation on `{c}` of the posts whose appends all
 * succeeded. The two shards cannot share one script (a Cluster puts them on different
 * nodes), so the pair is made idempotent instead: a post counted but not confirmed
 * (the append failed — its shard died, a failover is under way — or the feeder died) is
 * not counted again when it comes back, but appended again, and the append skips the
 * movies whose history has it already. The feeder retries a failed batch, so a failover
 * delays posts and loses none; several feeders reading the same stream still count and
 * publish each post once.
 */
import type { Clock } from '../../clock/clock.js';
import { HISTORY_PER_MOVIE } from '../../protocol/index.js';
import type { MovieActivity } from '../../ranking/trend.js';
import {
  RedisConnection,
  type RedisConnectionOptions,
  type RedisTarget,
} from '../../store/redis/connection.js';
import { DEFAULT_DEPLOYMENT, RedisKeys } from '../../store/redis/keys.js';
import type {
  Engine,
  EngineStatus,
  FeedListener,
  HistoryQuery,
  HistoryResult,
  IngestPost,
  IngestResult,
  Ranking,
} from '../engine.js';
import { postKey, RedisCounting } from './counting.js';
import { RedisFeeds } from './feeds.js';
import { RedisHistory } from './history.js';
import { parseRanking, RedisRanking } from './ranking.js';

export interface RedisEngineOptions extends RedisConnectionOptions {
  /** Key prefix part: two deployments can share a Redis. Default 'default'. */
  deployment?: string;
  /** Posts kept per movie. Default HISTORY_PER_MOVIE (500). */
  historyPerMovie?: number;
  /** Per-author, per-movie hourly cap. Default DEFAULT_AUTHOR_CAP (3). */
  authorCap?: number;
  /** The clock for counting, for tests. Default Date.now. */
  now?: () => number;
  /** The timers (the feeds' catch-up retry), for tests. Default the real clock. */
  clock?: Clock;
}

/** How often the engine PINGs Redis to report its round-trip time. */
const RTT_INTERVAL_MS = 5000;

/** Bound on `countedHere` (a feeder retries a few batches at most). */
const COUNTED_HERE_MAX = 100_000;

export class RedisEngine implements Engine {
  readonly kind = 'redis' as const;
  readonly keys: RedisKeys;
  private readonly counting: RedisCounting;
  private readonly history_: RedisHistory;
  private readonly feeds: RedisFeeds;
  private readonly ranking: RedisRanking;
  private readonly rankingListeners = new Set<(r: Ranking) => void>();
  private rankingSubscribed: Promise<void> | null = null;
  private readonly now: () => number;
  private readonly rttTimer: NodeJS.Timeout;
  private lastRttMs: number | undefined;

  private constructor(
    readonly conn: RedisConnection,
    options: RedisEngineOptions,
  ) {
    this.keys = new RedisKeys(options.deployment ?? DEFAULT_DEPLOYMENT);
    this.now = options.now ?? Date.now;
    const cap = options.historyPerMovie ?? HISTORY_PER_MOVIE;
    this.counting = new RedisCounting(conn, this.keys, {
      ...(options.authorCap === undefined ? {} : { authorCap: options.authorCap }),
    });
    this.history_ = new RedisHistory(conn, this.keys, cap);
    this.feeds = new RedisFeeds(conn, this.keys, this.history_, cap, options.clock);
    this.ranking = new RedisRanking(conn, this.keys);
    conn.onRecovered(() => this.recoverRanking());
    this.rttTimer = setInterval(() => this.measureRtt(), RTT_INTERVAL_MS);
    this.rttTimer.unref();
    this.measureRtt();
  }

  /** Round trip of the last PING, ms (for /metrics); undefined while Redis is down. */
  rttMs(): number | undefined {
    return this.conn.status === 'up' ? this.lastRttMs : undefined;
  }

  private measureRtt(): void {
    if (this.conn.status !== 'up') return;
    const t0 = performance.now();
    // Routed by the ranking key: on a Cluster, the shard every endpoint reads.
    this.conn.send(this.keys.ranking, true, ['PING']).then(
      () => {
        this.lastRttMs = performance.now() - t0;
      },
      () => {},
    );
  }

  /** Connects (waits for Redis to be reachable) and returns the engine. */
  static async connect(
    target: RedisTarget,
    options: RedisEngineOptions = {},
  ): Promise<RedisEngine> {
    const conn = await RedisConnection.connect(target, options);
    return new RedisEngine(conn, options);
  }

  /** Posts this engine counted whose append failed (bounded): their retry is "accepted". */
  private readonly countedHere = new Set<string>();

  async ingest(posts: IngestPost[]): Promise<IngestResult> {
    const result: IngestResult = { accepted: 0, duplicates: 0, capped: 0 };
    if (posts.length === 0) return result;
    const outcomes = await this.counting.add(posts, this.now());
    /** Per movie: indexes (into posts) of the posts to append. */
    const perMovie = new Map<number, number[]>();
    const toAppend: number[] = [];
    outcomes.forEach((o, i) => {
      if (o.status === 'duplicate') result.duplicates++;
      if (o.status === 'counted') {
        result.accepted++;
        result.capped += o.capped;
      }
      if (o.status !== 'counted' && o.status !== 'unconfirmed') return;
      toAppend.push(i);
      for (const movieId of posts[i]!.movieIds) {
        const list = perMovie.get(movieId);
        if (list === undefined) perMovie.set(movieId, [i]);
        else list.push(i);
      }
    });
    const movies = [...perMovie];
    const settled = await Promise.allSettled(
      movies.map(([movieId, idx]) =>
        this.history_.append(
          movieId,
          idx.map((i) => ({ key: postKey(posts[i]!), tweet: posts[i]!.tweet })),
        ),
      ),
    );
    const failed = new Set<number>();
    settled.forEach((r, j) => {
      if (r.status === 'rejected') for (const i of movies[j]![1]) failed.add(i);
    });
    const done = toAppend.filter((i) => !failed.has(i));
    // Not awaited: the posts are in history and published already. If it fails, a later
    // copy of these posts is offered to the append once more, which skips it.
    this.counting.confirm(done.map((i) => postKey(posts[i]!))).catch(() => {});
    const firstFailure = settled.find((r) => r.status === 'rejected');
    if (firstFailure !== undefined) {
      // The feeder keeps the batch and retries it: what was appended is skipped then.
      // Remember what THIS engine counted, so the retry reports it as accepted once.
      for (const i of toAppend)
        if (outcomes[i]!.status === 'counted' && this.countedHere.size < COUNTED_HERE_MAX)
          this.countedHere.add(postKey(posts[i]!));
      throw firstFailure.reason;
    }
    // An unconfirmed post is accepted here only if this engine counted it in a failed
    // attempt; a copy another feeder counted (its append still in flight, or failed) is
    // a duplicate, even when this append was the one that added it.
    for (const i of done)
      if (outcomes[i]!.status === 'unconfirmed') {
        const key = postKey(posts[i]!);
        if (this.countedHere.delete(key)) result.accepted++;
        else result.duplicates++;
      }
    return result;
  }

  counts(now: number): Promise<Map<number, number>> {
    return this.counting.totals(now);
  }

  activity(now: number): Promise<Map<number, MovieActivity>> {
    return this.counting.activity(now);
  }

  setRanking(ranking: Ranking): Promise<void> {
    return this.ranking.publish(ranking);
  }

  getRanking(): Promise<Ranking | null> {
    return this.ranking.get();
  }

  onRanking(listener: (r: Ranking) => void): () => void {
    this.rankingListeners.add(listener);
    this.subscribeRanking();
    return () => this.rankingListeners.delete(listener);
  }

  subscribe(movieId: number, listener: FeedListener): Promise<void> {
    return this.feeds.subscribe(movieId, listener);
  }

  unsubscribe(movieId: number): Promise<void> {
    return this.feeds.unsubscribe(movieId);
  }

  history(movieId: number, query: HistoryQuery): Promise<HistoryResult> {
    return this.history_.query(movieId, query);
  }

  onStatus(listener: (s: EngineStatus) => void): () => void {
    return this.conn.onStatus(listener);
  }

  get status(): EngineStatus {
    return this.conn.status;
  }

  async close(): Promise<void> {
    clearInterval(this.rttTimer);
    this.rankingListeners.clear();
    this.feeds.close();
    await this.conn.close();
  }

  private subscribeRanking(): void {
    if (this.rankingSubscribed !== null) return;
    this.rankingSubscribed = this.conn
      .sSubscribe(this.keys.rankingChannel, (message) => {
        const r = parseRanking(message);
        if (r !== null) this.emitRanking(r);
      })
      .catch(() => {
        this.rankingSubscribed = null; // retried on recovery
      });
  }

  private emitRanking(r: Ranking): void {
    for (const l of this.rankingListeners) l(r);
  }

  /** A ranking published during an outage was missed: read the stored one. */
  private recoverRanking(): void {
    if (this.rankingListeners.size === 0) return;
    this.subscribeRanking();
    this.ranking.get().then(
      (r) => {
        if (r !== null) this.emitRanking(r);
      },
      () => {},
    );
  }
}

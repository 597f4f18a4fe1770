/**
 * The synthetic source: a stream that reads like a real one, for demos and load.
 *
 * - Popularity is Zipf-like (weight 1/rank^s) over the catalog, and the ranks drift:
 *   every `driftMs` a few neighbours swap places, so the top of the ranking moves.
 * - Bursts: now and then a movie trends for a few minutes at many times its weight.
 * - Most real firehose posts are about nothing in the catalog (`unrelatedShare`).
 * - Authors are drawn Zipf-like too, so a few accounts post a lot.
 *
 * Timers are batched: one tick every `tickMs` emits all posts due since the last tick,
 * computed from elapsed clock time so the rate holds even when ticks run late.
 */

import { type Clock, realClock } from '../../clock/clock.js';
import type { Catalog, CatalogMovie } from '../../matching/catalog.js';
import type { Tweet, TweetUser } from '../../protocol/index.js';
import { doneSignal, type Source, type SourceStats } from '../source.js';
import { intBetween, mulberry32, pick, type Random, WeightedTable } from './prng.js';
import { moviePost, pairPost, unrelatedPost } from './synthetic-text.js';

export interface SyntheticOptions {
  kind: 'synthetic';
  catalog: Catalog;
  /** Posts per second (paced mode). Default 20. */
  rate?: number;
  /** PRNG seed; the same seed and clock give the same stream. Default: random. */
  seed?: number;
  /** Emit period, ms: one timer per batch, never one per post. Default 80. */
  tickMs?: number;
  /** Share of posts that mention no catalog movie, 0..1. Default 0.5. */
  unrelatedShare?: number;
  /** Zipf exponent of movie popularity. Default 1.1. */
  zipf?: number;
  /** How often (simulated ms) popularity ranks drift. Default 60_000. */
  driftMs?: number;
  /** Chance per simulated second that a new burst starts. Default 1/90. */
  burstChancePerSec?: number;
  /** Distinct authors. Default 5_000. */
  users?: number;
  /** Stop after this many posts and resolve `done`. Default: never stop. */
  count?: number;
  /**
   * Ignore `rate` and produce as fast as the consumer takes it, `batchSize` posts per
   * event-loop turn (load generation). Post times advance at `rate` posts per simulated
   * second from `now()`. Default false.
   */
  unbounded?: boolean;
  /** Posts per batch in unbounded mode. Default 1_000. */
  batchSize?: number;
  /** Wall clock for post times. Default `Date.now`. */
  now?: () => number;
  /** Timers (paced mode). Default: the real ones. */
  clock?: Clock;
}

interface Burst {
  index: number;
  until: number;
  boost: number;
}

const FIRST = ['alex', 'sam', 'maria', 'jo', 'chris', 'lena', 'kai', 'noor', 'yuki', 'ana'];
const LAST = ['film', 'reels', 'movies', 'cine', 'popcorn', 'takes', 'watch', 'screen', 'fan'];

/** The popularity model: separate from timers so it is a pure function of time. */
export class Popularity {
  private order: number[];
  private table: WeightedTable;
  private bursts: Burst[] = [];
  private lastDrift: number;
  private lastBurstCheck: number;

  constructor(
    private readonly size: number,
    private readonly random: Random,
    private readonly zipf: number,
    private readonly driftMs: number,
    private readonly burstChancePerSec: number,
    start: number,
  ) {
    this.order = Array.from({ length: size }, (_, i) => i);
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j]!, this.order[i]!];
    }
    this.lastDrift = start;
    this.lastBurstCheck = start;
    this.table = this.rebuild();
  }

  /** Advances drift and bursts to time `t`; call before sampling. */
  advance(t: number): void {
    let changed = false;
    while (t - this.lastDrift >= this.driftMs) {
      this.lastDrift += this.driftMs;
      for (let k = 0; k < Math.max(1, this.size >> 3); k++) {
        const i = Math.floor(this.random() * (this.size - 1));
        [this.order[i], this.order[i + 1]] = [this.order[i + 1]!, this.order[i]!];
      }
      changed = true;
    }
    while (t - this.lastBurstCheck >= 1000) {
      this.lastBurstCheck += 1000;
      if (this.size > 0 && this.random() < this.burstChancePerSec) {
        const index = Math.floor(this.random() * this.size);
        const until = this.lastBurstCheck + intBetween(this.random, 120, 600) * 1000;
        this.bursts.push({ index, until, boost: intBetween(this.random, 10, 40) });
        changed = true;
      }
    }
    const live = this.bursts.filter((b) => b.until > t);
    if (live.length !== this.bursts.length) changed = true;
    this.bursts = live;
    if (changed) this.table = this.rebuild();
  }

  sample(): number {
    return this.table.sample(this.random);
  }

  trending(): number[] {
    return this.bursts.map((b) => b.index);
  }

  private rebuild(): WeightedTable {
    const weights = new Array<number>(this.size).fill(0);
    this.order.forEach((movie, rank) => {
      weights[movie] = 1 / (rank + 1) ** this.zipf;
    });
    // A burst makes the movie as popular as `boost` × the current number one.
    for (const b of this.bursts) weights[b.index] = (weights[b.index] ?? 0) + b.boost;
    return new WeightedTable(weights);
  }
}

export class SyntheticSource implements Source {
  readonly name = 'synthetic';
  private readonly ending = doneSignal();
  readonly done?: Promise<void>;
  private readonly random: Random;
  private readonly now: () => number;
  private readonly clock: Clock;
  private readonly movies: CatalogMovie[];
  private readonly popularity: Popularity;
  private readonly userTable: WeightedTable;
  private readonly userCache = new Map<number, TweetUser>();
  private readonly runId: string;
  private readonly counters: SourceStats = { posts: 0, malformed: 0, connects: 0 };
  private timer: unknown;
  private running = false;
  private lastTick = 0;
  private owed = 0;
  private simTime = 0;

  constructor(private readonly opts: SyntheticOptions) {
    this.random = mulberry32(opts.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.now = opts.now ?? Date.now;
    this.clock = opts.clock ?? realClock;
    this.movies = opts.catalog.movies;
    const start = this.now();
    this.popularity = new Popularity(
      this.movies.length,
      this.random,
      opts.zipf ?? 1.1,
      opts.driftMs ?? 60_000,
      opts.burstChancePerSec ?? 1 / 90,
      start,
    );
    const users = opts.users ?? 5_000;
    this.userTable = new WeightedTable(Array.from({ length: users }, (_, i) => 1 / (i + 1) ** 0.8));
    // Ids must not repeat across runs, or a restarted demo would be deduplicated away.
    this.runId = `${start.toString(36)}${Math.floor(this.random() * 1e6).toString(36)}`;
    if (opts.count !== undefined) this.done = this.ending.done;
  }

  start(emit: (posts: Tweet[]) => void): void {
    if (this.running) return;
    this.running = true;
    this.counters.connects++;
    this.lastTick = this.clock.now();
    this.simTime = this.now();
    if (this.opts.unbounded) this.pumpUnbounded(emit);
    else this.schedule(emit);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  stats(): SourceStats {
    return { ...this.counters };
  }

  /** Generates one post at time `t` (exposed for tests and the benchmark). */
  makePost(t: number): Tweet {
    this.popularity.advance(t);
    const r = this.random();
    const share = this.opts.unrelatedShare ?? 0.5;
    let body: { text: string; lang: string };
    if (this.movies.length === 0 || r < share) body = unrelatedPost(this.random);
    else if (r > 0.97 && this.movies.length > 1) {
      const a = this.popularity.sample();
      let b = this.popularity.sample();
      if (b === a) b = (a + 1) % this.movies.length;
      body = pairPost(this.random, this.movies[a]!, this.movies[b]!);
    } else body = moviePost(this.random, this.movies[this.popularity.sample()]!);
    const n = this.counters.posts++;
    const id = `syn-${this.runId}-${n}`;
    const user = this.user(this.userTable.sample(this.random));
    return {
      id,
      text: body.text,
      user,
      // Real posts arrive a little after they were written.
      created_at: new Date(t - Math.floor(this.random() * 1500)).toISOString(),
      lang: body.lang,
      source: 'synthetic',
    };
  }

  private user(i: number): TweetUser {
    let u = this.userCache.get(i);
    if (!u) {
      const first = pick(this.random, FIRST);
      const handle = `${first}_${pick(this.random, LAST)}${i}`;
      u = { id: `syn-user-${i}`, name: first[0]!.toUpperCase() + first.slice(1), handle };
      this.userCache.set(i, u);
    }
    return u;
  }

  private remaining(): number {
    const c = this.opts.count;
    return c === undefined ? Number.POSITIVE_INFINITY : c - this.counters.posts;
  }

  private schedule(emit: (posts: Tweet[]) => void): void {
    this.timer = this.clock.setTimeout(() => this.tick(emit), this.opts.tickMs ?? 80);
  }

  private tick(emit: (posts: Tweet[]) => void): void {
    if (!this.running) return;
    const t = this.clock.now();
    const rate = this.opts.rate ?? 20;
    // Cap catch-up at one second of posts: a stalled event loop should not cause a flood.
    this.owed = Math.min(this.owed + ((t - this.lastTick) * rate) / 1000, Math.max(rate, 1));
    this.lastTick = t;
    const n = Math.min(Math.floor(this.owed), this.remaining());
    this.owed -= n;
    if (n > 0) {
      const at = this.now();
      const batch: Tweet[] = [];
      for (let i = 0; i < n; i++) batch.push(this.makePost(at));
      emit(batch);
    }
    if (this.remaining() <= 0) this.finish();
    else this.schedule(emit);
  }

  private pumpUnbounded(emit: (posts: Tweet[]) => void): void {
    const size = this.opts.batchSize ?? 1_000;
    const step = 1000 / (this.opts.rate ?? 20);
    const loop = (): void => {
      if (!this.running) return;
      const n = Math.min(size, this.remaining());
      const batch: Tweet[] = [];
      for (let i = 0; i < n; i++) {
        this.simTime += step;
        batch.push(this.makePost(this.simTime));
      }
      if (n > 0) emit(batch);
      if (this.remaining() <= 0) this.finish();
      // setImmediate lets I/O run between batches, so the consumer can keep up.
      else setImmediate(loop);
    };
    setImmediate(loop);
  }

  private finish(): void {
    this.running = false;
    this.ending.finish();
  }
}

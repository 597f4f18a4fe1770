/**
 * Publishes the ranking: every `intervalMs` it reads the rolling-hour counts from the
 * engine, ranks the catalog and publishes when anything shown changed. Recomputing on
 * a timer (not on new posts) is what makes counts age out when the stream goes quiet.
 */
import type { Engine } from '../engine/engine.js';
import type { Catalog } from '../matching/catalog.js';
import { RANKING_PUSH_INTERVAL_MS, type RankedMovie } from '../protocol/index.js';
import { rankMovies, sameRanking } from '../ranking/rank.js';

export interface RankerOptions {
  /** Default RANKING_PUSH_INTERVAL_MS (1 s). */
  intervalMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

export class Ranker {
  private last: RankedMovie[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly now: () => number;

  constructor(
    private readonly engine: Engine,
    private catalog: Catalog,
    private readonly options: RankerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  setCatalog(catalog: Catalog): void {
    this.catalog = catalog;
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(
      () => void this.tick(),
      this.options.intervalMs ?? RANKING_PUSH_INTERVAL_MS,
    );
  }

  /** Computes and, if changed, publishes the ranking. Returns whether it published. */
  async tick(): Promise<boolean> {
    if (this.running) return false;
    this.running = true;
    try {
      const now = this.now();
      const movies = rankMovies(this.catalog, await this.engine.activity(now));
      if (this.last.length > 0 && sameRanking(movies, this.last)) return false;
      await this.engine.setRanking({ generatedAt: now, movies });
      this.last = movies;
      return true;
    } catch (err) {
      this.options.onError?.(err);
      return false;
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}

/**
 * The published ranking: stored under `{r}:ranking` for late joiners and published on
 * `{r}:rankings` in one script, so the stored value is always the last one published.
 */
import { isRankedMovie } from '../../protocol/index.js';
import type { RedisConnection } from '../../store/redis/connection.js';
import type { RedisKeys } from '../../store/redis/keys.js';
import { Script } from '../../store/redis/script.js';
import type { Ranking } from '../engine.js';

/** KEYS: ranking key, ranking channel. ARGV: JSON. */
const PUBLISH = new Script(`
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SPUBLISH', KEYS[2], ARGV[1])
return 1
`);

export class RedisRanking {
  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  async publish(ranking: Ranking): Promise<void> {
    await PUBLISH.run(
      this.conn,
      [this.keys.ranking, this.keys.rankingChannel],
      [JSON.stringify(ranking)],
    );
  }

  async get(): Promise<Ranking | null> {
    const reply = await this.conn.send(this.keys.ranking, true, ['GET', this.keys.ranking]);
    return typeof reply === 'string' ? parseRanking(reply) : null;
  }
}

/** Our own JSON (see `publish`): checked for shape, null if it is not a ranking. */
export function parseRanking(json: string): Ranking | null {
  try {
    const r: unknown = JSON.parse(json);
    if (r === null || typeof r !== 'object') return null;
    const { generatedAt, movies } = r as Record<string, unknown>;
    if (typeof generatedAt !== 'number' || !Array.isArray(movies)) return null;
    // The protocol's own check (what set_movies carries), not a second, looser one.
    return movies.every(isRankedMovie) ? { generatedAt, movies } : null;
  } catch {
    return null;
  }
}

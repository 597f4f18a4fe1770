/**
 * Every Redis key and channel name Filmgrain uses, in one place (ARCHITECTURE.md §
 * "Redis keys and channels" documents each one and its value format).
 *
 * All names start with `fg1:<deployment>:` — `fg1` versions the layout (a change of
 * format bumps it), the deployment name lets two deployments share one Redis.
 *
 * Hash tags (the `{…}` part) decide the Cluster slot:
 * - per-movie keys and the movie's channel share `{m<id>}`, so a movie's history append
 *   and its publish run in one script on one shard, and movies spread over all shards
 *   (no hot slot for the fan-out, which is the heavy traffic);
 * - the rolling-hour counts share `{c}`: one batch script updates dedupe sets,
 *   per-author quotas and totals atomically. That shard sees one script call per feeder
 *   batch (every 50 ms), not one per post, so one slot is enough;
 * - the ranking `{r}` and the endpoint registry `{reg}` are tiny and rarely written.
 */

/** Layout version: bump when any key's format changes. */
export const LAYOUT_VERSION = 'fg1';
export const DEFAULT_DEPLOYMENT = 'default';

const DEPLOYMENT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export class RedisKeys {
  readonly prefix: string;

  constructor(deployment = DEFAULT_DEPLOYMENT) {
    if (!DEPLOYMENT_NAME.test(deployment))
      throw new Error(`deployment name must match ${DEPLOYMENT_NAME}, not "${deployment}"`);
    this.prefix = `${LAYOUT_VERSION}:${deployment}:`;
  }

  // ---- per movie, slot {m<id>} ----
  /** Stream: the movie's recent posts; entry id = post id, field `t` = tweet JSON. */
  history(movieId: number): string {
    return `${this.prefix}{m${movieId}}:history`;
  }
  /** String: id of the newest post trimmed from the history (for `gap`). */
  trimmed(movieId: number): string {
    return `${this.prefix}{m${movieId}}:trimmed`;
  }
  /**
   * Hash: post key (`<source>:<id>`) → post id, for exactly the posts in `history`
   * (the append removes a field when it trims its entry): the append's dedupe, so a
   * retried append never adds a post twice.
   */
  historyIndex(movieId: number): string {
    return `${this.prefix}{m${movieId}}:index`;
  }
  /** Sharded channel: the movie's new posts, `["<prev id>", [postId, tweet], …]`. */
  postsChannel(movieId: number): string {
    return `${this.prefix}{m${movieId}}:posts`;
  }
  /** The movie id of a posts channel name, or undefined. */
  movieOfChannel(channel: string): number | undefined {
    const head = `${this.prefix}{m`;
    if (!channel.startsWith(head) || !channel.endsWith('}:posts')) return undefined;
    const n = Number(channel.slice(head.length, -'}:posts'.length));
    return Number.isSafeInteger(n) ? n : undefined;
  }

  // ---- rolling-hour counts, slot {c} ----
  /** Prefix of the count keys; the script appends `state`, `tot`, `au`, `s:<minute>`, … */
  get countsPrefix(): string {
    return `${this.prefix}{c}:`;
  }
  /** Hash: `exp` (last minute aged out), `hi` (newest minute counted). */
  get countsState(): string {
    return `${this.countsPrefix}state`;
  }

  // ---- ranking, slot {r} ----
  /** String: the latest ranking JSON `{generatedAt, movies}`. */
  get ranking(): string {
    return `${this.prefix}{r}:ranking`;
  }
  /** Sharded channel: every published ranking, same JSON. */
  get rankingChannel(): string {
    return `${this.prefix}{r}:rankings`;
  }

  // ---- endpoint registry, slot {reg} ----
  /** Hash per endpoint: its announcement; expires unless heartbeated. */
  endpoint(id: string): string {
    return `${this.prefix}{reg}:ep:${id}`;
  }
  /** Sorted set: endpoint id → expiry (ms); lists endpoints without SCAN. */
  get endpointIndex(): string {
    return `${this.prefix}{reg}:endpoints`;
  }
  /** Sharded channel: an endpoint id whenever its entry changes. */
  get endpointChannel(): string {
    return `${this.prefix}{reg}:changes`;
  }
}

/**
 * Per-movie history and live publish. One script per movie per batch appends the
 * posts to the movie's capped stream (XADD MAXLEN = cap; the stream entry id *is* the
 * post id) and publishes them on the movie's sharded channel, atomically and on one
 * shard (`{m<id>}`): live order equals history order, even with several feeders. The
 * append is idempotent per post (the movie's index of post keys), so a feeder may
 * retry it after any failure without adding a post twice.
 *
 * `gap`: the append records the id of the newest entry it trims (`trimmed`). A query
 * with `since` reports a gap when posts after `since` may be missing:
 * - `since` is still in the stream → no gap (trimming removes the oldest first);
 * - `trimmed` == `since` → no gap (exactly `since` was the last trimmed);
 * - otherwise → gap: newer entries were trimmed (`trimmed` > `since`), or the stream
 *   lost data (Redis restarted without persistence), or `since` never was in it.
 *   Claiming "no gap" would be the false statement; the client just re-renders.
 */

import { comparePostIds, isServerPostId, parseTweet, type Tweet } from '../../protocol/index.js';
import type { RedisConnection } from '../../store/redis/connection.js';
import type { RedisKeys } from '../../store/redis/keys.js';
import { Script } from '../../store/redis/script.js';
import type { FeedPost, HistoryQuery, HistoryResult } from '../engine.js';

/**
 * KEYS: stream, trimmed, channel, index. ARGV: cap, then per post: key, tweet JSON.
 * A post whose key is in the index (in history already: a retried append, or another
 * feeder's copy) is skipped. Each entry has fields `t` (tweet) and `k` (post key); the
 * index field of each trimmed entry is removed with it, so the index holds exactly the
 * posts in the stream. Publishes `["<prev>",["<id>",<tweet>],…]` for the new posts,
 * where prev is the stream's newest id before them ('0-0' if empty): a subscriber whose
 * last id is older than prev missed a message and reads history. Returns per post its
 * id and 1 if appended now, 0 if it was there already.
 */
const APPEND = new Script(`
local cap = tonumber(ARGV[1])
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local prev = '0-0'
if last[1] then prev = last[1][1] end
local out, parts, trimmed = {}, {}, nil
for i = 2, #ARGV, 2 do
  local key, tweet = ARGV[i], ARGV[i + 1]
  local have = redis.call('HGET', KEYS[4], key)
  if have then
    out[#out + 1] = have
    out[#out + 1] = 0
  else
    local over = redis.call('XLEN', KEYS[1]) - cap + 1
    if over > 0 then
      for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', over)) do
        trimmed = e[1]
        local f = e[2]
        for j = 1, #f, 2 do
          if f[j] == 'k' then redis.call('HDEL', KEYS[4], f[j + 1]) end
        end
      end
    end
    local id = redis.call('XADD', KEYS[1], 'MAXLEN', cap, '*', 't', tweet, 'k', key)
    redis.call('HSET', KEYS[4], key, id)
    out[#out + 1] = id
    out[#out + 1] = 1
    parts[#parts + 1] = '["' .. id .. '",' .. tweet .. ']'
  end
end
if trimmed then redis.call('SET', KEYS[2], trimmed) end
if #parts > 0 then
  redis.call('SPUBLISH', KEYS[3], '["' .. prev .. '",' .. table.concat(parts, ',') .. ']')
end
return out
`);

/**
 * KEYS: stream, trimmed. ARGV: since ('' for none), limit.
 * Returns { since_present (0/1), trimmed or false, entries newest first }.
 */
const READ = new Script(`
local since, limit = ARGV[1], ARGV[2]
if since == '' then
  return { 1, false, redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', limit) }
end
local present = #redis.call('XRANGE', KEYS[1], since, since)
return { present, redis.call('GET', KEYS[2]),
  redis.call('XREVRANGE', KEYS[1], '+', '(' .. since, 'COUNT', limit) }
`);

export class RedisHistory {
  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly cap: number,
  ) {}

  /**
   * Appends and publishes one movie's posts (`key`: the post's dedupe key), skipping
   * any already in its history; returns per post its id and whether it was new.
   */
  async append(
    movieId: number,
    posts: readonly { key: string; tweet: Tweet }[],
  ): Promise<{ postId: string; fresh: boolean }[]> {
    const k = this.keys;
    const args = [String(this.cap)];
    for (const p of posts) args.push(p.key, JSON.stringify(p.tweet));
    const reply = await APPEND.run(
      this.conn,
      [k.history(movieId), k.trimmed(movieId), k.postsChannel(movieId), k.historyIndex(movieId)],
      args,
    );
    if (!Array.isArray(reply) || reply.length !== posts.length * 2)
      throw new Error('unexpected reply from the append script');
    return posts.map((_, i) => ({
      postId: String(reply[2 * i]),
      fresh: Number(reply[2 * i + 1]) === 1,
    }));
  }

  async query(movieId: number, q: HistoryQuery): Promise<HistoryResult> {
    if (q.since !== undefined && !isServerPostId(q.since))
      throw new Error(`not a post id: "${q.since}"`);
    const limit = Math.max(0, Math.min(q.limit, this.cap));
    if (limit === 0 && q.since === undefined) return { posts: [], gap: false };
    const k = this.keys;
    const reply = await READ.run(
      this.conn,
      [k.history(movieId), k.trimmed(movieId)],
      [q.since ?? '', String(Math.max(limit, 1))],
    );
    if (!Array.isArray(reply) || reply.length !== 3) throw new Error('unexpected history reply');
    const [present, trimmed, entries] = reply as [unknown, unknown, unknown];
    const posts: FeedPost[] = [];
    if (Array.isArray(entries) && limit > 0)
      for (let i = entries.length - 1; i >= 0; i--) {
        const post = parseEntry(movieId, entries[i]);
        if (post !== undefined) posts.push(post);
      }
    const gap =
      q.since !== undefined &&
      Number(present) === 0 &&
      !(typeof trimmed === 'string' && comparePostIds(trimmed, q.since) === 0);
    return { posts, gap };
  }
}

/** A stream entry `[id, ['t', json]]` as a FeedPost; undefined if malformed. */
function parseEntry(movieId: number, entry: unknown): FeedPost | undefined {
  if (!Array.isArray(entry) || typeof entry[0] !== 'string') return undefined;
  const fields: unknown = entry[1];
  let json: unknown;
  if (Array.isArray(fields)) json = fields[fields.indexOf('t') + 1];
  else if (fields !== null && typeof fields === 'object')
    json = (fields as Record<string, unknown>).t;
  if (typeof json !== 'string') return undefined;
  const tweet = parseTweet(json);
  return tweet === undefined ? undefined : { movieId, postId: entry[0], tweet };
}

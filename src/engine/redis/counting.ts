/**
 * The rolling-hour counts in Redis: the same rules as `RollingCounts`
 * (src/ranking/window.ts) in one Lua script per feeder batch, so any number of feeders
 * count each post once. All keys share the hash tag `{c}` (one slot, one script).
 *
 * Keys under `fg1:<deployment>:{c}:` (ARCHITECTURE.md § Counting):
 * - `d:<post key>` while the post is remembered (dedupe over the whole window, also
 *                 for copies with different times: expires 61 minutes after counting):
 *                 "p" once counted, "1" once its history append is confirmed. A copy
 *                 that finds "p" (the append failed, a feeder died between the two, or
 *                 another feeder is appending it right now) is not counted again but
 *                 handed to the append once more, whose per-movie dedupe keeps it once;
 *                 so counting and appending together are one idempotent step per post;
 * - `n:<minute>`  hash movie → posts counted in that minute;
 * - `a:<minute>`  hash `author\0movie` → posts counted in that minute (to give the
 *                 author's quota back when the minute ages out);
 * - `tot`         hash movie → total over the window; `au` hash `author\0movie` → used
 *                 quota over the window;
 * - `state`       hash `exp` (newest minute already aged out), `hi` (newest minute with
 *                 counts).
 * Aging out is done by whichever call first sees a later `now` (ingest or counts):
 * minutes `exp+1 … min(now-60, hi)` are subtracted from `tot`/`au` and deleted, so
 * `tot` always holds exactly the window. A post in a minute already aged out by another
 * process (a feeder with a slower clock) is outside the window too.
 * TTLs make a stopped deployment clean up after itself: minute keys live 130 minutes
 * past their minute, `tot`/`au`/`state` 61 minutes past `hi` — by then every minute
 * they hold has aged out.
 */
import { TREND_RECENT_MINUTES } from '../../protocol/limits.js';
import type { MovieActivity } from '../../ranking/trend.js';
import { DEFAULT_AUTHOR_CAP, DEFAULT_MAX_SKEW_MS } from '../../ranking/window.js';
import type { RedisConnection } from '../../store/redis/connection.js';
import type { RedisKeys } from '../../store/redis/keys.js';
import { Script } from '../../store/redis/script.js';
import type { IngestPost } from '../engine.js';

const AGE_OUT = `
local function age_out(pfx, now)
  local state = pfx .. 'state'
  local cur = math.floor(now / 60000)
  local last_out = cur - 60
  local exp = tonumber(redis.call('HGET', state, 'exp'))
  local hi = tonumber(redis.call('HGET', state, 'hi'))
  if exp == nil then
    redis.call('HSET', state, 'exp', last_out)
    return last_out
  end
  if exp >= last_out then return exp end
  local upto = last_out
  if hi == nil or hi < upto then upto = hi or exp end
  for m = exp + 1, upto do
    local pairs_ = { { pfx .. 'n:' .. m, pfx .. 'tot' }, { pfx .. 'a:' .. m, pfx .. 'au' } }
    for _, p in ipairs(pairs_) do
      local h = redis.call('HGETALL', p[1])
      for i = 1, #h, 2 do
        if redis.call('HINCRBY', p[2], h[i], -tonumber(h[i + 1])) <= 0 then
          redis.call('HDEL', p[2], h[i])
        end
      end
      redis.call('DEL', p[1])
    end
  end
  redis.call('HSET', state, 'exp', last_out)
  return last_out
end
`;

/**
 * KEYS[1] = state. ARGV: prefix, now, authorCap, maxSkewMs, then per post:
 * key, author, at, n, movie ids × n. Returns per post: status (0 counted, 1 duplicate,
 * 2 outside the window, 3 counted before but its append not confirmed), capped.
 */
const INGEST = new Script(`${AGE_OUT}
local pfx = ARGV[1]
local now = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local skew = tonumber(ARGV[4])
local exp = age_out(pfx, now)
local cur = math.floor(now / 60000)
local hi = tonumber(redis.call('HGET', pfx .. 'state', 'hi')) or -1
local out = {}
local touched = {}
local i = 5
while i <= #ARGV do
  local key, author, at, n = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  local minute = math.floor(at / 60000)
  local status, capped = 0, 0
  if minute <= cur - 60 or minute <= exp or at > now + skew then
    status = 2
  elseif not redis.call('SET', pfx .. 'd:' .. key, 'p', 'NX', 'PX', 3660000) then
    if redis.call('GET', pfx .. 'd:' .. key) == 'p' then status = 3 else status = 1 end
  else
    touched[minute] = true
    if minute > hi then hi = minute end
    for j = 1, n do
      local movie = ARGV[i + 3 + j]
      local f = author .. '\\0' .. movie
      if (tonumber(redis.call('HGET', pfx .. 'au', f)) or 0) >= cap then
        capped = capped + 1
      else
        redis.call('HINCRBY', pfx .. 'au', f, 1)
        redis.call('HINCRBY', pfx .. 'a:' .. minute, f, 1)
        redis.call('HINCRBY', pfx .. 'n:' .. minute, movie, 1)
        redis.call('HINCRBY', pfx .. 'tot', movie, 1)
      end
    end
  end
  out[#out + 1] = status
  out[#out + 1] = capped
  i = i + 4 + n
end
for minute in pairs(touched) do
  local until_ms = (minute + 130) * 60000
  redis.call('PEXPIREAT', pfx .. 'n:' .. minute, until_ms)
  redis.call('PEXPIREAT', pfx .. 'a:' .. minute, until_ms)
end
if hi >= 0 then
  redis.call('HSET', pfx .. 'state', 'hi', hi)
  local until_ms = (hi + 61) * 60000
  for _, k in ipairs({ 'state', 'tot', 'au' }) do
    if redis.call('EXISTS', pfx .. k) == 1 then redis.call('PEXPIREAT', pfx .. k, until_ms) end
  end
end
return out
`);

/**
 * KEYS[1] = state (for the slot). ARGV: prefix, post keys: their appends succeeded.
 * XX: a key that expired meanwhile stays gone; KEEPTTL: the window does not restart.
 */
const CONFIRM = new Script(`
for i = 2, #ARGV do
  redis.call('SET', ARGV[1] .. 'd:' .. ARGV[i], '1', 'XX', 'KEEPTTL')
end
return #ARGV - 1
`);

/** KEYS[1] = state. ARGV: prefix, now. Returns the `tot` hash as a flat list. */
const TOTALS = new Script(`${AGE_OUT}
age_out(ARGV[1], tonumber(ARGV[2]))
return redis.call('HGETALL', ARGV[1] .. 'tot')
`);

/**
 * KEYS[1] = state. ARGV: prefix, now, recent minutes R. Returns the `tot` hash, then
 * for each minute now-R … now its `n:` hash, each as a flat list (R + 2 lists): the
 * per-minute sums trend.ts needs, read in the same script as the totals they belong to.
 */
const ACTIVITY = new Script(`${AGE_OUT}
local pfx = ARGV[1]
local now = tonumber(ARGV[2])
age_out(pfx, now)
local cur = math.floor(now / 60000)
local out = { redis.call('HGETALL', pfx .. 'tot') }
for m = cur - tonumber(ARGV[3]), cur do
  out[#out + 1] = redis.call('HGETALL', pfx .. 'n:' .. m)
end
return out
`);

export interface CountingOptions {
  authorCap?: number;
  maxSkewMs?: number;
}

/**
 * `unconfirmed`: counted earlier, but no append of it was confirmed — append it (the
 * append skips it where it is in history already); do not count it again.
 */
export type PostOutcome =
  | { status: 'counted'; capped: number }
  | { status: 'duplicate' | 'outside' | 'unconfirmed' };

/** The dedupe key of a post: the same for every copy of it, whatever its time. */
export function postKey(p: IngestPost): string {
  return `${p.tweet.source}:${p.tweet.id}`;
}

export class RedisCounting {
  private readonly cap: number;
  private readonly skew: number;

  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
    options: CountingOptions = {},
  ) {
    this.cap = options.authorCap ?? DEFAULT_AUTHOR_CAP;
    this.skew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  }

  /** Dedupes and counts a batch in one script call; one outcome per post, in order. */
  async add(posts: readonly IngestPost[], now: number): Promise<PostOutcome[]> {
    const args = [this.keys.countsPrefix, String(now), String(this.cap), String(this.skew)];
    for (const p of posts) {
      args.push(
        postKey(p),
        p.tweet.user.id,
        String(Math.floor(p.at)),
        String(p.movieIds.length),
        ...p.movieIds.map(String),
      );
    }
    const reply = await INGEST.run(this.conn, [this.keys.countsState], args);
    if (!Array.isArray(reply) || reply.length !== posts.length * 2)
      throw new Error('unexpected reply from the counting script');
    return posts.map((_, i): PostOutcome => {
      const status = Number(reply[2 * i]);
      if (status === 1) return { status: 'duplicate' };
      if (status === 2) return { status: 'outside' };
      if (status === 3) return { status: 'unconfirmed' };
      return { status: 'counted', capped: Number(reply[2 * i + 1]) };
    });
  }

  /** Marks posts as appended: a later copy of them is a plain duplicate. */
  async confirm(postKeys: readonly string[]): Promise<void> {
    if (postKeys.length === 0) return;
    await CONFIRM.run(this.conn, [this.keys.countsState], [this.keys.countsPrefix, ...postKeys]);
  }

  async activity(now: number): Promise<Map<number, MovieActivity>> {
    const reply = await ACTIVITY.run(
      this.conn,
      [this.keys.countsState],
      [this.keys.countsPrefix, String(now), String(TREND_RECENT_MINUTES)],
    );
    const out = new Map<number, MovieActivity>();
    if (!Array.isArray(reply) || reply.length !== TREND_RECENT_MINUTES + 2)
      throw new Error('unexpected reply from the activity script');
    const tot = reply[0] as unknown[];
    for (let i = 0; i + 1 < tot.length; i += 2) {
      const n = Number(tot[i + 1]);
      if (n > 0) out.set(Number(tot[i]), { count: n, recent: 0, current: 0 });
    }
    for (let k = 1; k < reply.length; k++) {
      const minute = reply[k] as unknown[];
      const isCurrent = k === reply.length - 1;
      for (let i = 0; i + 1 < minute.length; i += 2) {
        const a = out.get(Number(minute[i]));
        if (a === undefined) continue;
        if (isCurrent) a.current += Number(minute[i + 1]);
        else a.recent += Number(minute[i + 1]);
      }
    }
    return out;
  }

  async totals(now: number): Promise<Map<number, number>> {
    const reply = await TOTALS.run(
      this.conn,
      [this.keys.countsState],
      [this.keys.countsPrefix, String(now)],
    );
    const out = new Map<number, number>();
    if (!Array.isArray(reply)) return out;
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const n = Number(reply[i + 1]);
      if (n > 0) out.set(Number(reply[i]), n);
    }
    return out;
  }
}

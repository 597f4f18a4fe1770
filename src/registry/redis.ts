/**
 * The endpoint registry in Redis (slot `{reg}`):
 * - `fg1:<dep>:{reg}:ep:<id>` hash: host, port, tls (0/1), websocket (URL or ""),
 *   capacity, connections,
 *   draining (0/1), startedAt, updatedAt; PEXPIRE ttl on every heartbeat, so a dead
 *   endpoint's entry disappears by itself;
 * - `fg1:<dep>:{reg}:endpoints` sorted set id → expiry (ms): lists entries without
 *   SCAN (which would need every Cluster node); stale members are pruned on read;
 * - `fg1:<dep>:{reg}:changes` sharded channel: an id whenever an entry appears, is
 *   withdrawn or its `draining` flips, so watchers react before their next poll.
 * `draining` is written only by `setDraining` (a heartbeat keeps what is stored), so a
 * flag set by discovery survives the endpoint's own heartbeats.
 */
import { type Clock, realClock } from '../clock/clock.js';
import type { RedisConnection } from '../store/redis/connection.js';
import type { RedisKeys } from '../store/redis/keys.js';
import { Script } from '../store/redis/script.js';
import {
  type EndpointAnnouncement,
  type EndpointRecord,
  type HeartbeatOptions,
  heartbeat,
  pollWatch,
  type Registration,
  type Registry,
} from './registry.js';

/**
 * KEYS: entry, index, channel. ARGV: id, now, ttl, draining-if-new, then field/value
 * pairs. Returns the stored draining flag.
 */
const BEAT = new Script(`
local fresh = redis.call('EXISTS', KEYS[1]) == 0
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('HSETNX', KEYS[1], 'draining', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[1])
if fresh then redis.call('SPUBLISH', KEYS[3], ARGV[1]) end
return redis.call('HGET', KEYS[1], 'draining')
`);

/** KEYS: index. ARGV: now, entry key prefix. Returns [id, flat hash] pairs. */
const LIST = new Script(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local h = redis.call('HGETALL', ARGV[2] .. id)
  if #h > 0 then out[#out + 1] = id; out[#out + 1] = h
  else redis.call('ZREM', KEYS[1], id) end
end
return out
`);

/**
 * KEYS: entry, index, channel. ARGV: id, draining, now. An endpoint is live by the same
 * rule as in LIST (its index score, the caller's clock): the entry key's own expiry
 * runs on Redis's clock from when the beat ran, a few ms later, so an endpoint list()
 * no longer shows could otherwise still be marked draining.
 */
const DRAIN = new Script(`
local expires = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not expires or tonumber(expires) <= tonumber(ARGV[3]) then return 0 end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'draining', ARGV[2])
redis.call('SPUBLISH', KEYS[3], ARGV[1])
return 1
`);

/** KEYS: entry, index, channel. ARGV: id. */
const WITHDRAW = new Script(`
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SPUBLISH', KEYS[3], ARGV[1])
return 1
`);

const ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export class RedisRegistry implements Registry {
  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly clock: Clock = realClock,
  ) {}

  async register(
    a: EndpointAnnouncement,
    load: () => { connections: number },
    options: HeartbeatOptions = {},
  ): Promise<Registration> {
    if (!ID.test(a.id)) throw new Error(`endpoint id must match ${ID}, not "${a.id}"`);
    const startedAt = this.clock.now();
    const k = this.keys;
    const keys = [k.endpoint(a.id), k.endpointIndex, k.endpointChannel];
    return heartbeat(
      a.id,
      async (now, ttlMs, draining) => {
        const reply = await BEAT.run(this.conn, keys, [
          a.id,
          String(now),
          String(ttlMs),
          draining ? '1' : '0',
          ...['host', a.host, 'port', String(a.port), 'tls', a.tls ? '1' : '0'],
          ...['websocket', a.websocket ?? ''],
          ...['capacity', String(a.capacity), 'connections', String(load().connections)],
          ...['startedAt', String(startedAt), 'updatedAt', String(now)],
        ]);
        return String(reply) === '1';
      },
      async () => {
        await WITHDRAW.run(this.conn, keys, [a.id]);
      },
      options,
      this.clock,
    );
  }

  async list(): Promise<EndpointRecord[]> {
    const reply = await LIST.run(
      this.conn,
      [this.keys.endpointIndex],
      [String(this.clock.now()), this.keys.endpoint('')],
    );
    const out: EndpointRecord[] = [];
    if (!Array.isArray(reply)) return out;
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const r = toRecord(String(reply[i]), reply[i + 1]);
      if (r !== undefined) out.push(r);
    }
    return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  }

  async setDraining(id: string, draining: boolean): Promise<boolean> {
    const reply = await DRAIN.run(
      this.conn,
      [this.keys.endpoint(id), this.keys.endpointIndex, this.keys.endpointChannel],
      [id, draining ? '1' : '0', String(this.clock.now())],
    );
    return Number(reply) === 1;
  }

  watch(listener: (endpoints: EndpointRecord[]) => void, intervalMs?: number): () => void {
    const w = pollWatch(() => this.list(), listener, intervalMs, this.clock);
    const channel = this.keys.endpointChannel;
    const onChange = () => w.poke();
    this.conn.sSubscribe(channel, onChange).catch(() => {}); // polling still works
    return () => {
      w.stop();
      this.conn.sUnsubscribe(channel, onChange).catch(() => {});
    };
  }
}

function toRecord(id: string, flat: unknown): EndpointRecord | undefined {
  if (!Array.isArray(flat)) return undefined;
  const h = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) h.set(String(flat[i]), String(flat[i + 1]));
  const num = (f: string) => Number(h.get(f) ?? Number.NaN);
  const host = h.get('host');
  if (host === undefined || !Number.isInteger(num('port'))) return undefined;
  return {
    id,
    host,
    port: num('port'),
    tls: h.get('tls') === '1',
    ...(h.get('websocket') ? { websocket: h.get('websocket') } : {}),
    capacity: num('capacity') || 0,
    connections: num('connections') || 0,
    draining: h.get('draining') === '1',
    startedAt: num('startedAt') || 0,
    updatedAt: num('updatedAt') || 0,
  };
}

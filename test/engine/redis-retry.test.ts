/**
 * Counting and appending are two scripts on two shards (`{c}` and `{m<id>}`); what
 * happens between them (issue 15: a Cluster failover takes the history shard away after
 * the counting succeeded) must delay posts, never lose them or add them twice. And a
 * subscriber that misses a channel message without noticing (a Cluster moves its
 * subscription to a promoted replica by itself) must read the missed posts from history.
 * Real failures on a real redis-server: a history key of the wrong type makes the
 * append fail (WRONGTYPE) after the counting succeeded; an entry added to a stream
 * without a publish is a message the subscriber never got.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from '@redis/client';
import { RedisServer } from '../../harness/redis-servers.js';
import { until } from '../../harness/until.js';
import type { FeedPost } from '../../src/engine/engine.js';
import { RedisEngine } from '../../src/engine/redis/engine.js';
import { parseRedisTarget } from '../../src/store/redis/connection.js';
import { post } from '../support/endpoint.js';

let server: RedisServer;
let raw: ReturnType<typeof createClient>;
before(async () => {
  server = await RedisServer.start();
  raw = createClient({ url: server.url });
  await raw.connect();
});
after(async () => {
  raw.destroy();
  await server.destroy();
});

const tweetIds = async (key: string) =>
  ((await raw.xRange(key, '-', '+')) ?? []).map(
    (e) => JSON.parse(String(e!.message.t)).id as string,
  );

test('an append that failed after the counting is done by the retry: counted once, in every history once', async () => {
  const feeder = await RedisEngine.connect(parseRedisTarget(server.url), { deployment: 'retry1' });
  const k = feeder.keys;
  try {
    const p = post([1, 2], 'one post, two movies');
    const q = post([2], 'another');
    // Movie 1's history shard "fails": its key holds a string, so XADD gets WRONGTYPE.
    await raw.set(k.history(1), 'not a stream');
    await assert.rejects(feeder.ingest([p, q]), /WRONGTYPE/);
    assert.deepEqual(await tweetIds(k.history(2)), [p.tweet.id, q.tweet.id], 'movie 2 appended');
    await raw.del(k.history(1));

    // The feeder retries the same batch: the counting has seen both posts.
    const retry = await feeder.ingest([p, q]);
    assert.deepEqual(await tweetIds(k.history(1)), [p.tweet.id], 'movie 1 appended on retry');
    assert.deepEqual(await tweetIds(k.history(2)), [p.tweet.id, q.tweet.id], 'movie 2 not twice');
    assert.equal(retry.accepted, 1, 'p accepted now (its first attempt failed)');
    assert.equal(retry.duplicates, 1, 'q was already appended everywhere');
    const counts = await feeder.counts(Date.now());
    assert.equal(counts.get(1), 1, 'counted once for movie 1');
    assert.equal(counts.get(2), 2, 'counted once each for movie 2');

    // Confirmed now: a third copy is a plain duplicate and appends nothing.
    const again = await feeder.ingest([p, q]);
    assert.deepEqual(again, { accepted: 0, duplicates: 2, capped: 0 });
    assert.equal((await raw.xLen(k.history(1))) + (await raw.xLen(k.history(2))), 3);
  } finally {
    await feeder.close();
  }
});

test('the append dedupe index holds exactly the posts in the capped history', async () => {
  const feeder = await RedisEngine.connect(parseRedisTarget(server.url), {
    deployment: 'retry2',
    historyPerMovie: 5,
  });
  const k = feeder.keys;
  try {
    const posts = Array.from({ length: 12 }, (_, i) => post([7], `post ${i}`));
    for (const p of posts.slice(0, 6)) await feeder.ingest([p]);
    await feeder.ingest(posts.slice(6));
    const inHistory = await tweetIds(k.history(7));
    assert.deepEqual(
      inHistory,
      posts.slice(7).map((p) => p.tweet.id),
    );
    const index = await raw.hGetAll(k.historyIndex(7));
    assert.deepEqual(
      Object.keys(index).sort(),
      posts
        .slice(7)
        .map((p) => `synthetic:${p.tweet.id}`)
        .sort(),
    );
    const ids = ((await raw.xRange(k.history(7), '-', '+')) ?? []).map((e) => e!.id);
    assert.deepEqual(Object.values(index).sort(), ids.sort(), 'index → the entry ids');
  } finally {
    await feeder.close();
  }
});

test('a subscriber that missed a channel message reads it from history before the next post', async () => {
  const target = parseRedisTarget(server.url);
  const feeder = await RedisEngine.connect(target, { deployment: 'retry3' });
  const endpoint = await RedisEngine.connect(target, { deployment: 'retry3' });
  const k = feeder.keys;
  const got: FeedPost[] = [];
  try {
    await endpoint.subscribe(5, (posts) => got.push(...posts));
    const first = post([5], 'first');
    await feeder.ingest([first]);
    await until(() => got.length === 1, 5000);
    // A post that reached history but whose message this subscriber never received.
    const missed = post([5], 'missed');
    await raw.xAdd(k.history(5), '*', { t: JSON.stringify(missed.tweet) });
    const next = post([5], 'next');
    await feeder.ingest([next]);
    await until(() => got.length >= 3, 5000);
    await new Promise((r) => setTimeout(r, 100)); // nothing more (no duplicate) arrives
    assert.deepEqual(
      got.map((p) => p.tweet.text),
      ['first', 'missed', 'next'],
    );
    assert.equal(
      got.some((p) => p.gap),
      false,
      'read from history: nothing is missing',
    );
  } finally {
    await endpoint.close();
    await feeder.close();
  }
});

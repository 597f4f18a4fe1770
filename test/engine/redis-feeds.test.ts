/**
 * Live posts that arrive while a feed waits for its history read are held — at most the
 * history cap of them; past it the oldest are dropped and the first one released is
 * marked `gap`, so a slow store cannot grow an endpoint's memory and no loss is silent.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RedisServer } from '../../harness/redis-servers.js';
import type { FeedPost, HistoryResult } from '../../src/engine/engine.js';
import { RedisEngine } from '../../src/engine/redis/engine.js';
import { RedisFeeds } from '../../src/engine/redis/feeds.js';
import type { RedisHistory } from '../../src/engine/redis/history.js';
import { parseRedisTarget, RedisConnection } from '../../src/store/redis/connection.js';
import { RedisKeys } from '../../src/store/redis/keys.js';
import { post } from '../support/endpoint.js';

let server: RedisServer;
before(async () => {
  server = await RedisServer.start();
});
after(() => server.destroy());

test('held live posts are capped at the history cap; the first released carries gap', async () => {
  const target = parseRedisTarget(server.url);
  const keys = new RedisKeys('heldcap');
  const conn = await RedisConnection.connect(target, {});
  const publisher = await RedisEngine.connect(target, { deployment: 'heldcap' });
  let release: (r: HistoryResult) => void = () => {};
  let queried: () => void = () => {};
  const reading = new Promise<void>((r) => {
    queried = r;
  });
  // A history read that hangs until the test lets it go (a store answering slowly).
  const stuck = {
    query: () => {
      queried();
      return new Promise<HistoryResult>((r) => {
        release = r;
      });
    },
  } as unknown as RedisHistory;
  const feeds = new RedisFeeds(conn, keys, stuck, 5);
  const got: FeedPost[] = [];
  try {
    const subscribed = feeds.subscribe(1, (posts) => got.push(...posts));
    await reading; // subscribed to the channel; the history read hangs
    for (let i = 0; i < 8; i++) await publisher.ingest([post([1], `held ${i}`)]);
    await new Promise((r) => setTimeout(r, 200)); // the messages reach the subscriber
    release({ posts: [], gap: false });
    await subscribed;
    assert.equal(got.length, 5, 'only the newest 5 were kept');
    assert.deepEqual(
      got.map((p) => p.tweet.text),
      ['held 3', 'held 4', 'held 5', 'held 6', 'held 7'],
    );
    assert.equal(got[0]?.gap, true);
    assert.equal(
      got.slice(1).some((p) => p.gap),
      false,
    );
  } finally {
    feeds.close();
    await conn.close();
    await publisher.close();
  }
});

/**
 * Where the backlog ends (PROTOCOL.md § 5 `feed_started`): after the backlog of a
 * `start_feed`, or the posts of a resume with `since`, the server sends
 * `feed_started {movie_id, backlog}` and only live posts after it. On the in-process
 * engine and on a real Redis; the SDK surfaces it as the `live` event.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LineClient, Message } from '../../harness/line-client.js';
import { RedisServer } from '../../harness/redis-servers.js';
import { createClient, type FeedLive, type Post } from '../../src/client/node.js';
import type { Engine, HistoryQuery, HistoryResult } from '../../src/engine/engine.js';
import { MemoryEngine } from '../../src/engine/memory.js';
import { RedisEngine } from '../../src/engine/redis/engine.js';
import { FEED_BACKLOG } from '../../src/protocol/index.js';
import { parseRedisTarget } from '../../src/store/redis/connection.js';
import { post, startEndpoint } from '../support/endpoint.js';

const text = (m: Message) => (m.params.tweet as { text: string }).text;

/** Everything up to and including the feed_started of `movieId`. */
async function untilStarted(c: LineClient, movieId: number): Promise<Message[]> {
  const got: Message[] = [];
  for (;;) {
    const m = await c.next(5000);
    assert.ok(m !== null, 'closed before feed_started');
    if (m.action === 'set_movies' || m.action === 'pong') continue;
    got.push(m);
    if (m.action === 'feed_started' && m.params.movie_id === movieId) return got;
  }
}

let deployments = 0;
const engines: [string, () => Promise<Engine>][] = [['memory', async () => new MemoryEngine()]];
let redis: RedisServer | undefined;
engines.push([
  'redis',
  () =>
    RedisEngine.connect(parseRedisTarget(redis!.url), {
      deployment: `feed-started-${process.pid}-${++deployments}`,
    }),
]);

for (const [name, makeEngine] of engines)
  describe(`feed_started (${name} engine)`, () => {
    before(async () => {
      if (name === 'redis') redis = await RedisServer.start();
    });
    after(async () => {
      if (name === 'redis') await redis?.destroy();
    });

    test('after exactly the last FEED_BACKLOG posts when history has more; live posts after it', async () => {
      const ep = await startEndpoint({ engine: await makeEngine() });
      try {
        for (let i = 0; i < FEED_BACKLOG + 5; i++) await ep.engine.ingest([post([1], `old ${i}`)]);
        const c = await ep.client();
        c.send('start_feed', { movie_id: 1 });
        const got = await untilStarted(c, 1);
        assert.equal(got.length, FEED_BACKLOG + 1);
        assert.deepEqual(
          got.slice(0, -1).map(text),
          Array.from({ length: FEED_BACKLOG }, (_, i) => `old ${i + 5}`),
        );
        assert.deepEqual(got.at(-1)?.params, { movie_id: 1, backlog: FEED_BACKLOG });
        await ep.engine.ingest([post([1], 'live one')]);
        assert.equal(text(await c.nextOf('post_tweet', 5000)), 'live one');
      } finally {
        await ep.close();
      }
    });

    test('an empty history: feed_started with backlog 0 at once', async () => {
      const ep = await startEndpoint({ engine: await makeEngine() });
      try {
        const c = await ep.client();
        c.send('start_feed', { movie_id: 2 });
        assert.deepEqual(await untilStarted(c, 2), [
          { action: 'feed_started', params: { movie_id: 2, backlog: 0 } },
        ]);
      } finally {
        await ep.close();
      }
    });

    test('a resume with since: the posts after it, then feed_started; from the future or the newest: backlog 0', async () => {
      const ep = await startEndpoint({ engine: await makeEngine() });
      try {
        for (let i = 0; i < 5; i++) await ep.engine.ingest([post([3], `p${i}`)]);
        const c = await ep.client();
        c.send('start_feed', { movie_id: 3 });
        const all = (await untilStarted(c, 3)).slice(0, -1);
        const since = all[1]!.params.post_id as string;
        c.send('start_feed', { movie_id: 3, since });
        const resumed = await untilStarted(c, 3);
        assert.deepEqual(resumed.slice(0, -1).map(text), ['p2', 'p3', 'p4']);
        assert.deepEqual(resumed.at(-1)?.params, { movie_id: 3, backlog: 3 });
        // Nothing newer than the newest id, nor than one from the future: only the marker.
        for (const s of [all.at(-1)!.params.post_id as string, '9999999999999-0']) {
          c.send('start_feed', { movie_id: 3, since: s });
          assert.deepEqual(await untilStarted(c, 3), [
            { action: 'feed_started', params: { movie_id: 3, backlog: 0 } },
          ]);
        }
      } finally {
        await ep.close();
      }
    });

    test('start_feed for a followed movie sends its backlog again, then feed_started again', async () => {
      const ep = await startEndpoint({ engine: await makeEngine() });
      try {
        await ep.engine.ingest([post([2], 'a'), post([2], 'b')]);
        const c = await ep.client();
        c.send('start_feed', { movie_id: 2 });
        const first = await untilStarted(c, 2);
        c.send('start_feed', { movie_id: 2 });
        const again = await untilStarted(c, 2);
        assert.deepEqual(first, again, 'the same posts (same ids) and the same marker');
        assert.equal(first.length, 3);
      } finally {
        await ep.close();
      }
    });
  });

/** An in-process engine whose history reads are answered only when released. */
class GatedHistoryEngine extends MemoryEngine {
  private gate: Promise<void> = Promise.resolve();
  release: () => void = () => {};
  /** Resolves once a history read has been made and waits at the gate. */
  reading: Promise<void> = Promise.resolve();
  private readDone: () => void = () => {};
  hold(): void {
    this.gate = new Promise((r) => {
      this.release = r;
    });
    this.reading = new Promise((r) => {
      this.readDone = r;
    });
  }
  override async history(movieId: number, query: HistoryQuery): Promise<HistoryResult> {
    // Read first, then wait: a post published meanwhile is live, held, not in the read.
    const read = await super.history(movieId, query);
    this.readDone();
    await this.gate;
    return read;
  }
}

/**
 * Starts a feed of movie 1 (history: one post) whose history read waits; publishes a
 * live post while it waits, then lets the read finish. Returns the client.
 */
async function liveWhileReading(
  ep: Awaited<ReturnType<typeof startEndpoint>>,
  engine: GatedHistoryEngine,
  since?: string,
) {
  await engine.ingest([post([1], 'history')]);
  engine.hold();
  const c = await ep.client();
  c.send('start_feed', { movie_id: 1, ...(since === undefined ? {} : { since }) });
  await engine.reading; // subscribed, and the history read is made and held
  await engine.ingest([post([1], 'live while reading')]);
  engine.release();
  return c;
}

test('a live post published while the backlog is read comes after feed_started, not counted in it', async () => {
  const engine = new GatedHistoryEngine();
  const ep = await startEndpoint({ engine });
  try {
    const c = await liveWhileReading(ep, engine);
    const got = await untilStarted(c, 1);
    // The held live post is released after the marker: it is live, not backlog.
    assert.deepEqual(
      got.map((m) => (m.action === 'post_tweet' ? text(m) : m.action)),
      ['history', 'feed_started'],
    );
    assert.equal(got.at(-1)?.params.backlog, 1);
    assert.equal(text(await c.nextOf('post_tweet')), 'live while reading');
  } finally {
    await ep.close();
  }
});

test('a since from the future: backlog 0, and the live posts published while history was read still come', async () => {
  const engine = new GatedHistoryEngine();
  const ep = await startEndpoint({ engine });
  try {
    const c = await liveWhileReading(ep, engine, '9999999999999-0');
    assert.deepEqual(await untilStarted(c, 1), [
      { action: 'feed_started', params: { movie_id: 1, backlog: 0 } },
    ]);
    // No post has an id after that `since`: releasing only "newer" ones would hide this.
    assert.equal(text(await c.nextOf('post_tweet')), 'live while reading');
  } finally {
    await ep.close();
  }
});

test("the SDK's `live` event: after the backlog's posts, again after a reconnect's resume", async () => {
  const ep = await startEndpoint();
  const client = createClient({ host: '127.0.0.1', port: ep.port, ca: ep.ca });
  try {
    await ep.engine.ingest([post([1], 'one'), post([1], 'two')]);
    const seen: string[] = [];
    client.on('post', (p: Post) => seen.push(p.tweet.text));
    client.on('live', (l: FeedLive) => seen.push(`live ${l.movieId} backlog ${l.backlog}`));
    await client.connect();
    client.follow(1);
    await client.once('live');
    assert.deepEqual(seen, ['one', 'two', 'live 1 backlog 2']);
    // Cut every connection: the SDK reconnects and resumes after 'two'.
    await ep.engine.ingest([post([1], 'three')]);
    await client.once('post', (p) => p.tweet.text === 'three');
    ep.endpoint.closeAll(Buffer.from(''));
    await ep.engine.ingest([post([1], 'four')]);
    await client.once('live');
    assert.deepEqual(seen.slice(3), ['three', 'four', 'live 1 backlog 1']);
  } finally {
    await client.close();
    await ep.close();
  }
});

/** The protocol over a real TLS socket: the seed's session, feeds, ranking, resume. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FeedListener } from '../../src/engine/engine.js';
import { MemoryEngine } from '../../src/engine/memory.js';
import { FEED_BACKLOG } from '../../src/protocol/index.js';
import {
  type ProtocolClient,
  post,
  startEndpointOn,
  type TestEndpoint,
  TRANSPORTS,
} from '../support/endpoint.js';

for (const transport of TRANSPORTS)
  describe(`endpoint session over ${transport}`, () => {
    let ep: TestEndpoint<ProtocolClient>;
    before(async () => {
      ep = await startEndpointOn(transport);
    });
    after(() => ep.close());

    test("the seed's example session: connect, start_feed (backlog then live), stop_feed", async () => {
      for (let i = 0; i < 3; i++) await ep.engine.ingest([post([1], `old post ${i}`)]);
      const c = await ep.client({ connect: false });
      c.send('connect', {});
      const movies = await c.next();
      assert.equal(movies?.action, 'set_movies');
      assert.deepEqual(
        (movies?.params.movies as { id: number }[] | undefined)?.map((m) => m.id),
        [1, 2, 3],
      );

      c.send('start_feed', { movie_id: 1 });
      const backlog = [
        await c.nextOf('post_tweet'),
        await c.nextOf('post_tweet'),
        await c.nextOf('post_tweet'),
      ];
      assert.deepEqual(
        backlog.map((m) => (m.params.tweet as { text: string }).text),
        ['old post 0', 'old post 1', 'old post 2'],
        'backlog arrives oldest first',
      );
      await ep.engine.ingest([post([1], 'live post')]);
      const live = await c.nextOf('post_tweet');
      assert.equal(live.params.movie_id, 1);
      assert.equal((live.params.tweet as { text: string }).text, 'live post');
      assert.match(live.params.post_id as string, /^\d+-\d+$/);

      c.send('stop_feed', { movie_id: 1 });
      c.send('ping', { ts: 42 });
      const pong = await c.nextOf('pong'); // stop_feed was handled before the ping
      assert.equal(pong.params.ts, 42);
      await ep.engine.ingest([post([1], 'after stop')]);
      assert.ok(await c.silentFor(200), 'no post after stop_feed');
    });

    test('set_movies comes first even when start_feed is sent in the same packet as connect', async () => {
      await ep.engine.ingest([post([2], 'early')]);
      const c = await ep.client({ connect: false });
      c.sendRaw(
        '{"action":"connect","params":{}}\n{"action":"start_feed","params":{"movie_id":2}}\n',
      );
      assert.equal((await c.next())?.action, 'set_movies');
      assert.equal((await c.next())?.action, 'post_tweet');
    });

    test('the backlog is capped at FEED_BACKLOG posts, the most recent ones', async () => {
      for (let i = 0; i < FEED_BACKLOG + 5; i++) await ep.engine.ingest([post([3], `p${i}`)]);
      const c = await ep.client();
      c.send('start_feed', { movie_id: 3 });
      const got: string[] = [];
      for (let i = 0; i < FEED_BACKLOG; i++)
        got.push(((await c.nextOf('post_tweet')).params.tweet as { text: string }).text);
      assert.equal(got[0], 'p5');
      assert.equal(got.at(-1), `p${FEED_BACKLOG + 4}`);
      // Exactly FEED_BACKLOG when history has more, then the marker (PROTOCOL.md § 4).
      const marker = await c.next();
      assert.deepEqual(marker, {
        action: 'feed_started',
        params: { movie_id: 3, backlog: FEED_BACKLOG },
      });
      assert.ok(await c.silentFor(150));
    });

    test('two clients on different movies receive only their own posts', async () => {
      const a = await ep.client();
      const b = await ep.client();
      a.send('start_feed', { movie_id: 2 });
      b.send('start_feed', { movie_id: 3 });
      a.send('ping');
      b.send('ping');
      await a.nextOf('pong');
      await b.nextOf('pong');
      a.drain();
      b.drain();
      await ep.engine.ingest([post([2], 'for a'), post([3], 'for b'), post([2, 3], 'for both')]);
      const textsOf = async (c: typeof a, n: number) => {
        const out: string[] = [];
        for (let i = 0; i < n; i++) {
          const m = await c.nextOf('post_tweet');
          out.push(`${m.params.movie_id}:${(m.params.tweet as { text: string }).text}`);
        }
        return out;
      };
      assert.deepEqual(await textsOf(a, 2), ['2:for a', '2:for both']);
      assert.deepEqual(await textsOf(b, 2), ['3:for b', '3:for both']);
      assert.ok(await a.silentFor(100));
    });

    test('resume with since: exactly the posts after it, then live, none twice', async () => {
      const c = await ep.client();
      c.send('start_feed', { movie_id: 2 });
      await ep.engine.ingest([post([2], 'r1')]);
      let seen = await c.nextOf('post_tweet');
      while ((seen.params.tweet as { text: string }).text !== 'r1')
        seen = await c.nextOf('post_tweet');
      const since = seen.params.post_id as string;
      c.close();

      await ep.engine.ingest([post([2], 'r2'), post([2], 'r3')]);
      const d = await ep.client();
      d.send('start_feed', { movie_id: 2, since });
      const texts = [await d.nextOf('post_tweet'), await d.nextOf('post_tweet')].map(
        (m) => (m.params.tweet as { text: string }).text,
      );
      assert.deepEqual(texts, ['r2', 'r3']);
      await ep.engine.ingest([post([2], 'r4')]);
      assert.equal(((await d.nextOf('post_tweet')).params.tweet as { text: string }).text, 'r4');
      assert.ok(await d.silentFor(100), 'nothing twice');
    });

    test('a pushed set_movies arrives when the ranking changes, in count order', async () => {
      const c = await ep.client();
      await ep.engine.setRanking({
        generatedAt: Date.now(),
        movies: [
          { id: 3, title: 'Wicked', count: 9, rank: 1 },
          { id: 1, title: 'Dune: Part Two', count: 4, rank: 2 },
          { id: 2, title: 'Inside Out 2', count: 0, rank: 3 },
        ],
      });
      const pushed = await c.nextOf('set_movies');
      const movies = pushed.params.movies as { id: number; count: number }[];
      assert.deepEqual(
        movies.map((m) => [m.id, m.count]),
        [
          [3, 9],
          [1, 4],
          [2, 0],
        ],
      );
    });

    test('a live post the engine marks as after a gap reaches the client with gap: true', async () => {
      // The engine says so when an outage outlasted its history (src/engine/redis/feeds.ts).
      class GapEngine extends MemoryEngine {
        listener: FeedListener | undefined;
        override async subscribe(movieId: number, listener: FeedListener): Promise<void> {
          this.listener = listener;
          return super.subscribe(movieId, listener);
        }
      }
      const engine = new GapEngine();
      const own = await startEndpointOn(transport, { engine });
      try {
        const c = await own.client();
        c.send('start_feed', { movie_id: 1 });
        c.send('ping');
        await c.nextOf('pong');
        const { tweet } = post([1], 'after an outage');
        engine.listener?.([{ movieId: 1, postId: '99-0', tweet, gap: true }]);
        const m = await c.nextOf('post_tweet');
        assert.equal(m.params.gap, true);
        assert.equal(m.params.post_id, '99-0');
      } finally {
        await own.close();
      }
    });

    test('a client may follow several feeds up to the limit', async () => {
      const small = await startEndpointOn(transport, { maxFeeds: 2 });
      try {
        const c = await small.client();
        c.send('start_feed', { movie_id: 1 });
        c.send('start_feed', { movie_id: 2 });
        c.send('start_feed', { movie_id: 3 });
        const err = await c.nextOf('error');
        assert.equal(err.params.code, 'too_many_feeds');
        assert.equal(err.params.movie_id, 3);
        await small.engine.ingest([post([1], 'one'), post([2], 'two'), post([3], 'three')]);
        const a = await c.nextOf('post_tweet');
        const b = await c.nextOf('post_tweet');
        assert.deepEqual([a.params.movie_id, b.params.movie_id], [1, 2]);
      } finally {
        await small.close();
      }
    });
  });

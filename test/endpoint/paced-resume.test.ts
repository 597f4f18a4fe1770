/**
 * Paced resume (issue 15: "resuming several feeds after an absence livelocks"): three
 * feeds resumed at once from an old `since` owe ~630 KB, well past the 256 KiB
 * slow-consumer bound. A client that reads gets all of it, each feed's posts then its
 * `feed_started`, and is not cut; live posts published meanwhile come after their
 * feed's backlog, in order. A client that stops reading is not handed more than half
 * the bound between two kernel-queue checks, so its server-side queue stays bounded.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LineClient, Message } from '../../harness/line-client.js';
import { serverTxQueue } from '../../harness/server-tx-queue.js';
import { HISTORY_PER_MOVIE } from '../../src/protocol/index.js';
import { post, startEndpoint, type TestEndpoint } from '../support/endpoint.js';

const MOVIES = [1, 2, 3];
/** ~420 bytes a post line, as in the measurement (500 posts ≈ 210 KB). */
const TEXT = 'r'.repeat(250);

/** Fills each movie's history (500 posts); returns the id of each movie's oldest post. */
async function fill(ep: TestEndpoint): Promise<Map<number, string>> {
  for (let i = 0; i < HISTORY_PER_MOVIE; i += 50)
    await ep.engine.ingest(Array.from({ length: 50 }, (_, k) => post(MOVIES, `${TEXT} ${i + k}`)));
  const oldest = new Map<number, string>();
  for (const m of MOVIES) {
    const { posts } = await ep.engine.history(m, { limit: HISTORY_PER_MOVIE });
    assert.equal(posts.length, HISTORY_PER_MOVIE);
    oldest.set(m, posts[0]!.postId);
  }
  return oldest;
}

describe('paced resume', () => {
  test('three feeds resumed from an old since: all posts arrive, in order, and the client is not cut', async (t) => {
    const ep = await startEndpoint({ maxOutgoingBytes: 256 * 1024 });
    try {
      const oldest = await fill(ep);
      const c: LineClient = await ep.client();
      let bytes = 0;
      c.socket.on('data', (chunk: string) => {
        bytes += Buffer.byteLength(chunk);
      });
      const t0 = performance.now();
      for (const m of MOVIES) c.send('start_feed', { movie_id: m, since: oldest.get(m) });
      const perMovie = new Map<number, Message[]>(MOVIES.map((m) => [m, []]));
      const LIVE = 'live after the resume';
      const isLive = (m: Message | undefined) =>
        m?.action === 'post_tweet' && (m.params.tweet as { text: string }).text === LIVE;
      let published = false;
      while ([...perMovie.values()].some((got) => !isLive(got.at(-1)))) {
        const m = await c.next(10_000);
        assert.ok(m !== null, `cut after ${bytes} bytes`);
        if (m.action !== 'post_tweet' && m.action !== 'feed_started') continue;
        perMovie.get(m.params.movie_id as number)!.push(m);
        // Once the first feed is live (the others' history is read, still being paced
        // out), one more post about every movie: live for all three, behind each backlog.
        if (m.action === 'feed_started' && !published) {
          published = true;
          await ep.engine.ingest([post(MOVIES, LIVE)]);
        }
      }
      t.diagnostic(
        `${bytes} bytes received for three resumes (bound 262144) in ${Math.round(performance.now() - t0)} ms`,
      );
      assert.ok(bytes > 600_000, `the resumes are well past the bound (${bytes} B)`);
      for (const [movie, got] of perMovie) {
        const texts = got.map((m) =>
          m.action === 'feed_started'
            ? `started ${m.params.backlog}`
            : (m.params.tweet as { text: string }).text,
        );
        const backlog = HISTORY_PER_MOVIE - 1;
        assert.deepEqual(
          texts,
          [
            ...Array.from({ length: backlog }, (_, i) => `${TEXT} ${i + 1}`),
            `started ${backlog}`,
            LIVE,
          ],
          `movie ${movie}`,
        );
      }
      assert.equal(ep.endpoint.stats.errors.get('slow_consumer'), undefined);
      c.send('ping', { ts: 5 });
      assert.equal((await c.nextOf('pong')).params.ts, 5, 'the connection lives');
    } finally {
      await ep.close();
    }
  });

  test('a client that stops reading during a paced resume is handed at most half the bound per check', {
    skip: process.platform !== 'linux' && 'reads /proc/net/tcp',
  }, async (t) => {
    const max = 256 * 1024;
    const ep = await startEndpoint({ maxOutgoingBytes: max });
    try {
      const oldest = await fill(ep);
      const c = await ep.client();
      c.socket.pause(); // never reads: only the server's queues fill
      for (const m of MOVIES) c.send('start_feed', { movie_id: m, since: oldest.get(m) });
      let maxTx = 0;
      const until = Date.now() + 1500; // six kernel checks
      while (Date.now() < until) {
        await new Promise((r) => setTimeout(r, 20));
        maxTx = Math.max(maxTx, serverTxQueue(ep.port, c.socket.localPort!));
      }
      t.diagnostic(`server kernel queue max ${maxTx} B while owed ~630 KB`);
      // Half the bound handed out, plus what the client's own receive buffer took.
      assert.ok(maxTx <= max, `kernel queue reached ${maxTx} B`);
      assert.equal(ep.endpoint.connectionCount, 1, 'not cut: it is owed only its backlog');
      c.socket.resume();
    } finally {
      await ep.close();
    }
  });
});

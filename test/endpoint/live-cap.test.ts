/** The per-feed live rate cap (PROTOCOL.md § Hot feeds), on an injected clock. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveCap } from '../../src/endpoint/live-cap.js';
import { post, startEndpointOn, TRANSPORTS } from '../support/endpoint.js';

describe('live rate cap', () => {
  test('a burst passes, the rest is skipped and counted on the next delivered post', () => {
    let t = 0;
    const cap = new LiveCap(10, 3, { now: () => t });
    const got = Array.from({ length: 8 }, () => cap.admit(false));
    assert.deepEqual(
      got.map((a) => (a === null ? 'skip' : a.skipped)),
      [0, 0, 0, 'skip', 'skip', 'skip', 'skip', 'skip'],
    );
    t += 100; // 10/s: one more token
    assert.deepEqual(cap.admit(false), { skipped: 5, gap: false }, '"+5 more"');
    assert.equal(cap.admit(false), null);
    t += 100;
    assert.deepEqual(cap.admit(false), { skipped: 1, gap: false }, 'the count restarts');
  });

  test('under the rate nothing is skipped', () => {
    let t = 0;
    const cap = new LiveCap(10, 2, { now: () => t });
    for (let i = 0; i < 50; i++) {
      t += 100;
      assert.deepEqual(cap.admit(false), { skipped: 0, gap: false });
    }
  });

  test('a skipped post with gap hands the flag to the next delivered one', () => {
    let t = 0;
    const cap = new LiveCap(1, 1, { now: () => t });
    assert.deepEqual(cap.admit(false), { skipped: 0, gap: false });
    assert.equal(cap.admit(true), null);
    t += 1000;
    assert.deepEqual(cap.admit(false), { skipped: 1, gap: true });
    t += 1000;
    assert.deepEqual(cap.admit(false), { skipped: 0, gap: false });
  });

  test('rate 0 turns the cap off', () => {
    const cap = new LiveCap(0, 0, { now: () => 0 });
    for (let i = 0; i < 1000; i++) assert.deepEqual(cap.admit(false), { skipped: 0, gap: false });
  });
});

for (const transport of TRANSPORTS)
  describe(`the live cap on an endpoint (${transport})`, () => {
    test('a live_cap follower gets the burst, then the next post with "skipped"; v1 and uncapped v2 get all; history has all', async () => {
      const ep = await startEndpointOn(transport, { liveCapPerSecond: 2, liveCapBurst: 3 });
      try {
        const v2 = await ep.client({ connect: false });
        v2.send('connect', { version: 2, live_cap: true });
        await v2.nextOf('set_movies');
        const v1 = await ep.client();
        // v2 without live_cap: every post, like v1.
        const every = await ep.client({ connect: false });
        every.send('connect', { version: 2 });
        await every.nextOf('set_movies');
        for (const c of [v1, v2, every]) {
          c.send('start_feed', { movie_id: 1 });
          await c.nextOf('feed_started');
        }
        await ep.engine.ingest(Array.from({ length: 10 }, (_, i) => post([1], `burst ${i}`)));
        const texts = async (c: typeof v1, n: number) => {
          const out: { text: string; skipped: unknown }[] = [];
          while (out.length < n) {
            const m = await c.nextOf('post_tweet');
            out.push({
              text: (m.params.tweet as { text: string }).text,
              skipped: m.params.skipped,
            });
          }
          return out;
        };
        const v1Got = await texts(v1, 10);
        assert.deepEqual(
          v1Got.map((x) => x.text),
          Array.from({ length: 10 }, (_, i) => `burst ${i}`),
        );
        assert.ok(
          v1Got.every((x) => x.skipped === undefined),
          'v1 never sees skipped',
        );
        const v2Got = await texts(v2, 3);
        assert.deepEqual(
          v2Got.map((x) => x.text),
          ['burst 0', 'burst 1', 'burst 2'],
        );
        assert.ok(await v2.silentFor(200), 'the 7 above the burst are not sent live');
        await new Promise((r) => setTimeout(r, 600)); // 2/s: a token again
        await ep.engine.ingest([post([1], 'after')]);
        const [next] = await texts(v2, 1);
        assert.deepEqual(next, { text: 'after', skipped: 7 }, '"+7 more"');
        assert.equal(ep.endpoint.stats.liveSkipped, 7);
        // The skipped posts are in history: a resume from the last one seen gets them.
        const again = await ep.client({ connect: false });
        again.send('connect', { version: 2 });
        await again.nextOf('set_movies');
        const { posts } = await ep.engine.history(1, { limit: 100 });
        again.send('start_feed', { movie_id: 1, since: posts[2]!.postId });
        const resumed = await texts(again, 8);
        assert.deepEqual(
          resumed.map((x) => x.text),
          [...Array.from({ length: 7 }, (_, i) => `burst ${i + 3}`), 'after'],
        );
      } finally {
        await ep.close();
      }
    });
  });

/**
 * The engine contract: the same tests run against every Engine (memory, single Redis,
 * Redis Cluster). A factory opens two handles on one store — `a` (a feeder) and `b`
 * (an endpoint); for the in-process engine both are the same object — with an injected
 * counting clock, so the window slides minute by minute without sleeping.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { until } from '../../harness/until.js';
import type { Engine, FeedPost, IngestPost, Ranking } from '../../src/engine/engine.js';
import type { Tweet } from '../../src/protocol/index.js';
import { comparePostIds } from '../../src/protocol/index.js';

export interface EngineOptions {
  now: () => number;
  historyPerMovie?: number;
  authorCap?: number;
}

export interface EnginePair {
  a: Engine;
  b: Engine;
  close(): Promise<void>;
}

export interface EngineFactory {
  /** Called once before the suite (start servers). */
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  /** A fresh, empty store per call. */
  open(options: EngineOptions): Promise<EnginePair>;
}

const MIN = 60_000;

let serial = 0;
export function tweet(text = 'a post', author?: string): Tweet {
  serial++;
  const id = `c${process.pid}-${serial}`;
  const who = author ?? `u${serial}`;
  return {
    id,
    text,
    user: { id: who, name: who },
    created_at: new Date().toISOString(),
    source: 'synthetic',
  };
}

function ingestPost(movieIds: number[], at: number, author?: string, text?: string): IngestPost {
  return { tweet: tweet(text, author), movieIds, at };
}

const obj = (m: Map<number, number>) => Object.fromEntries([...m].sort((x, y) => x[0] - y[0]));

export function engineContract(name: string, factory: EngineFactory): void {
  describe(`engine contract: ${name}`, () => {
    // A real-time base (keys get TTLs relative to it), aligned 10 s into a minute.
    const T0 = Math.floor(Date.now() / MIN) * MIN + 10_000;
    let t = T0;
    const clock = () => t;
    const pairs: EnginePair[] = [];
    const open = async (o: Partial<EngineOptions> = {}) => {
      t = T0;
      const p = await factory.open({ now: clock, ...o });
      pairs.push(p);
      return p;
    };

    before(async () => {
      await factory.setup?.();
    });
    after(async () => {
      for (const p of pairs) await p.close();
      await factory.teardown?.();
    });

    it('counts a post once: duplicates in a batch, across batches and across feeders', async () => {
      const { a, b } = await open();
      const p = ingestPost([1], T0);
      const q = ingestPost([1, 2], T0);
      assert.deepEqual(await a.ingest([p, p, q]), { accepted: 2, duplicates: 1, capped: 0 });
      assert.deepEqual(await a.ingest([q]), { accepted: 0, duplicates: 1, capped: 0 });
      assert.deepEqual(await b.ingest([p]), { accepted: 0, duplicates: 1, capped: 0 });
      assert.deepEqual(obj(await b.counts(T0)), { 1: 2, 2: 1 });
      // Both movies of a multi-movie post got it in history.
      assert.equal((await b.history(2, { limit: 10 })).posts.length, 1);
    });

    it('a copy with another time (a replay counted at arrival) is still a duplicate', async () => {
      const { a, b } = await open();
      const p = ingestPost([1], T0);
      assert.equal((await a.ingest([p])).accepted, 1);
      t = T0 + 5 * MIN;
      assert.deepEqual(await b.ingest([{ ...p, at: T0 + 5 * MIN }]), {
        accepted: 0,
        duplicates: 1,
        capped: 0,
      });
      assert.deepEqual(obj(await a.counts(t)), { 1: 1 });
      assert.equal((await a.history(1, { limit: 10 })).posts.length, 1, 'not in history twice');
    });

    it('two feeders ingesting the same stream at once count each post once', async () => {
      const { a, b } = await open();
      const batch = Array.from({ length: 50 }, (_, i) => ingestPost([1 + (i % 3)], T0));
      const [ra, rb] = await Promise.all([a.ingest(batch), b.ingest(batch)]);
      assert.equal(ra.accepted + rb.accepted, 50);
      assert.equal(ra.duplicates + rb.duplicates, 50);
      assert.deepEqual(obj(await a.counts(T0)), { 1: 17, 2: 17, 3: 16 });
      assert.equal((await b.history(1, { limit: 100 })).posts.length, 17);
    });

    it('keeps the current minute and the 59 before it; a minute ages out whole', async () => {
      const { a } = await open();
      await a.ingest([
        ingestPost([1], T0),
        ingestPost([1], T0 + 20_000),
        ingestPost([2], T0 + MIN),
      ]);
      assert.deepEqual(obj(await a.counts(T0 + 59 * MIN)), { 1: 2, 2: 1 });
      t = T0 + 59 * MIN + 49_000; // last ms of minute m0+59
      assert.deepEqual(obj(await a.counts(t)), { 1: 2, 2: 1 });
      t = T0 + 60 * MIN - 10_000; // first ms of minute m0+60: m0 ages out
      assert.deepEqual(obj(await a.counts(t)), { 2: 1 });
      t = T0 + 61 * MIN;
      assert.deepEqual(obj(await a.counts(t)), {});
    });

    it('rejects posts outside the window (older than the hour, too far ahead)', async () => {
      const { a, b } = await open();
      t = T0 + 60 * MIN;
      const r = await a.ingest([
        ingestPost([1], T0 - 1), // minute m0 = cur-60: out
        ingestPost([1], T0 + MIN), // minute m0+1 = cur-59: in
        ingestPost([1], t + 6 * MIN), // beyond the 5-minute skew: out
        ingestPost([1], t + 4 * MIN), // within skew: in
      ]);
      assert.deepEqual(r, { accepted: 2, duplicates: 0, capped: 0 });
      assert.deepEqual(obj(await b.counts(t)), { 1: 2 });
      assert.equal((await b.history(1, { limit: 10 })).posts.length, 2);
    });

    it('caps one author per movie per window and gives the quota back when it ages out', async () => {
      const { a } = await open({ authorCap: 3 });
      const posts = Array.from({ length: 4 }, () => ingestPost([1, 2], T0, 'loud'));
      assert.deepEqual(await a.ingest(posts), { accepted: 4, duplicates: 0, capped: 2 });
      assert.deepEqual(obj(await a.counts(T0)), { 1: 3, 2: 3 });
      // Capped posts still reach the feed.
      assert.equal((await a.history(1, { limit: 10 })).posts.length, 4);
      t = T0 + 60 * MIN;
      assert.deepEqual(await a.ingest([ingestPost([1], t, 'loud')]), {
        accepted: 1,
        duplicates: 0,
        capped: 0,
      });
      assert.deepEqual(obj(await a.counts(t)), { 1: 1 });
    });

    it('history: most recent `limit`, oldest first, ids increasing per movie', async () => {
      const { a, b } = await open();
      const texts = ['one', 'two', 'three', 'four', 'five'];
      await a.ingest(texts.slice(0, 2).map((x) => ingestPost([7], T0, undefined, x)));
      await a.ingest(texts.slice(2).map((x) => ingestPost([7], T0, undefined, x)));
      const all = await b.history(7, { limit: 10 });
      assert.deepEqual(
        all.posts.map((p) => p.tweet.text),
        texts,
      );
      assert.equal(all.gap, false);
      for (let i = 1; i < all.posts.length; i++)
        assert.ok(comparePostIds(all.posts[i - 1]!.postId, all.posts[i]!.postId) < 0);
      const last3 = await b.history(7, { limit: 3 });
      assert.deepEqual(
        last3.posts.map((p) => p.tweet.text),
        ['three', 'four', 'five'],
      );
      assert.deepEqual(await b.history(8, { limit: 10 }), { posts: [], gap: false });
    });

    it('history since: exclusive, capped, with `gap` exactly when posts after it were dropped', async () => {
      const { a, b } = await open({ historyPerMovie: 4 });
      await a.ingest(['p1', 'p2', 'p3'].map((x) => ingestPost([9], T0, undefined, x)));
      await a.ingest(['p4', 'p5', 'p6'].map((x) => ingestPost([9], T0, undefined, x)));
      const kept = (await b.history(9, { limit: 10 })).posts;
      assert.deepEqual(
        kept.map((p) => p.tweet.text),
        ['p3', 'p4', 'p5', 'p6'],
      );
      const id = (text: string) => kept.find((p) => p.tweet.text === text)!.postId;
      const texts = (r: { posts: FeedPost[] }) => r.posts.map((p) => p.tweet.text);
      // p4 still kept: exactly what follows it, no gap.
      const r4 = await b.history(9, { since: id('p4'), limit: 100 });
      assert.deepEqual([texts(r4), r4.gap], [['p5', 'p6'], false]);
      // The newest post: nothing after it.
      assert.deepEqual(await b.history(9, { since: id('p6'), limit: 100 }), {
        posts: [],
        gap: false,
      });
      // `limit` keeps the most recent.
      assert.deepEqual(texts(await b.history(9, { since: id('p3'), limit: 2 })), ['p5', 'p6']);
      // Trimmed posts' ids are learnt from a live subscriber in a second round.
      const { a: a2, b: b2 } = await open({ historyPerMovie: 2 });
      const live: FeedPost[] = [];
      await b2.subscribe(10, (ps) => live.push(...ps));
      await a2.ingest(['q1', 'q2', 'q3', 'q4'].map((x) => ingestPost([10], T0, undefined, x)));
      await until(() => live.length === 4);
      const q1 = await b2.history(10, { since: live[0]!.postId, limit: 100 });
      assert.deepEqual([texts(q1), q1.gap], [['q3', 'q4'], true]); // q2 is gone
      const q2 = await b2.history(10, { since: live[1]!.postId, limit: 100 });
      assert.deepEqual([texts(q2), q2.gap], [['q3', 'q4'], false]); // q3 follows q2
    });

    it('live posts: delivered after subscribe resolves, with the ids history has, until unsubscribe', async () => {
      const { a, b } = await open();
      const live: FeedPost[] = [];
      await b.subscribe(11, (ps) => live.push(...ps));
      await a.ingest(['x', 'y'].map((x) => ingestPost([11], T0, undefined, x)));
      await a.ingest([ingestPost([11, 12], T0, undefined, 'z')]);
      await until(() => live.length === 3);
      const hist = (await b.history(11, { limit: 10 })).posts;
      assert.deepEqual(
        live.map((p) => [p.movieId, p.postId, p.tweet.text]),
        hist.map((p) => [p.movieId, p.postId, p.tweet.text]),
      );
      await b.unsubscribe(11);
      const other: FeedPost[] = [];
      await b.subscribe(12, (ps) => other.push(...ps));
      await a.ingest([ingestPost([11], T0, undefined, 'after')]);
      await a.ingest([ingestPost([12], T0, undefined, 'barrier')]);
      await until(() => other.length === 1);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(live.length, 3);
    });

    it('a movie unsubscribed and at once subscribed again keeps getting live posts', async () => {
      // The endpoint does this when the only follower restarts its feed (start_feed
      // again): the new subscription must not be dropped with the departing one.
      const { a, b } = await open();
      const first: FeedPost[] = [];
      await b.subscribe(13, (ps) => first.push(...ps));
      const again: FeedPost[] = [];
      const leaving = b.unsubscribe(13);
      const joining = b.subscribe(13, (ps) => again.push(...ps));
      await Promise.all([leaving, joining]);
      await a.ingest([ingestPost([13], T0, undefined, 'after the restart')]);
      await until(() => again.length === 1);
      assert.equal(again[0]!.tweet.text, 'after the restart');
      assert.equal(first.length, 0);
    });

    it('ranking: stored for late joiners and pushed to listeners', async () => {
      const { a, b } = await open();
      assert.equal(await b.getRanking(), null);
      const r1: Ranking = { generatedAt: T0, movies: [{ id: 1, title: 'A', count: 2, rank: 1 }] };
      await a.setRanking(r1);
      assert.deepEqual(await b.getRanking(), r1);
      const seen: Ranking[] = [];
      const off = b.onRanking((r) => seen.push(r));
      // The listener's subscription may take a moment on a networked engine: publish
      // until it arrives (bounded).
      for (let i = 0; i < 100 && seen.length === 0; i++) {
        await a.setRanking({ ...r1, generatedAt: T0 + i + 1 });
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(seen.length > 0);
      assert.deepEqual(seen.at(-1)!.movies, r1.movies);
      off();
      assert.equal(typeof b.onStatus(() => {}), 'function');
    });
  });
}

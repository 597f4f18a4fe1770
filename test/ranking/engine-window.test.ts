/**
 * The rolling hour through the feeder and the in-process engine (issue 3 §3): a post
 * seen twice counts once across `ingest` calls, across two feeders sharing one engine and
 * when a source redelivers it; the author cap and the window hold end to end; what does
 * not count is not published either. The clock is a variable the test moves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeedPost, IngestPost } from '../../src/engine/engine.js';
import { MemoryEngine } from '../../src/engine/memory.js';
import { Feeder } from '../../src/feeder/feeder.js';
import type { Source } from '../../src/feeder/source.js';
import type { Tweet } from '../../src/protocol/index.js';
import { DEFAULT_AUTHOR_CAP, MINUTE_MS } from '../../src/ranking/window.js';

const T0 = Date.UTC(2025, 5, 1, 12);

function tweet(id: string, author: string, atMs: number, text = 'Dune'): Tweet {
  return {
    id,
    text,
    user: { id: author, name: author },
    created_at: new Date(atMs).toISOString(),
    url: `https://example.test/${id}`,
    source: 'bluesky',
  };
}

const ingestPost = (t: Tweet, movieIds: number[]): IngestPost => ({
  tweet: t,
  movieIds,
  at: Date.parse(t.created_at),
});

const idle: Source = {
  name: 'test',
  start: () => {},
  stop: async () => {},
  stats: () => ({ posts: 0, malformed: 0, connects: 0 }),
};
/** Every post names movie 1 ("Dune"); nothing else matches. */
const dune = { match: (text: string): number[] => (text.includes('Dune') ? [1] : []) };

async function setup() {
  const clock = { now: T0 };
  const engine = new MemoryEngine({ now: () => clock.now });
  const published: FeedPost[] = [];
  await engine.subscribe(1, (posts) => published.push(...posts));
  return { clock, engine, published };
}

describe('engine: a post seen twice counts once', () => {
  it('twice in one batch, and again in a later ingest call', async () => {
    const { clock, engine, published } = await setup();
    const p = ingestPost(tweet('p1', 'alice', T0), [1]);
    assert.deepEqual(await engine.ingest([p, p]), { accepted: 1, duplicates: 1, capped: 0 });
    clock.now += 30 * MINUTE_MS;
    assert.deepEqual(await engine.ingest([p]), { accepted: 0, duplicates: 1, capped: 0 });
    assert.deepEqual(Object.fromEntries(await engine.counts(clock.now)), { 1: 1 });
    assert.equal(published.length, 1, 'a duplicate is not published again');
  });

  it('from two feeders sharing one engine', async () => {
    const { clock, engine } = await setup();
    const a = new Feeder(engine, dune, idle, { now: () => clock.now });
    const b = new Feeder(engine, dune, idle, { now: () => clock.now });
    const t = tweet('p1', 'alice', T0 - 5_000);
    a.accept([t]);
    b.accept([{ ...t }]);
    await a.flush();
    await b.flush();
    assert.equal(a.stats.accepted + b.stats.accepted, 1);
    assert.equal(a.stats.duplicates + b.stats.duplicates, 1);
    assert.deepEqual(Object.fromEntries(await engine.counts(clock.now)), { 1: 1 });
  });

  it('redelivered minutes later with a post time ahead of our clock', async () => {
    // A device clock 3 minutes fast: the post time must not be replaced by arrival time,
    // or the redelivery would land in another minute and count again.
    const { clock, engine } = await setup();
    const feeder = new Feeder(engine, dune, idle, { now: () => clock.now });
    const t = tweet('p1', 'alice', T0 + 3 * MINUTE_MS);
    feeder.accept([t]);
    await feeder.flush();
    clock.now += 2 * MINUTE_MS;
    feeder.accept([t]);
    await feeder.flush();
    assert.deepEqual(feeder.stats, { ...feeder.stats, accepted: 1, duplicates: 1 });
    assert.deepEqual(Object.fromEntries(await engine.counts(clock.now)), { 1: 1 });
  });
});

describe('engine: the hour and the cap end to end', () => {
  it('counts rise, then age out minute by minute with no new posts', async () => {
    const { clock, engine } = await setup();
    for (let m = 0; m < 3; m++) {
      clock.now = T0 + m * MINUTE_MS;
      await engine.ingest([ingestPost(tweet(`p${m}`, `u${m}`, clock.now), [1])]);
      assert.equal((await engine.counts(clock.now)).get(1), m + 1);
    }
    for (let m = 0; m < 3; m++)
      assert.equal((await engine.counts(T0 + (60 + m) * MINUTE_MS)).get(1) ?? 0, 2 - m);
  });

  it(`caps one author at ${DEFAULT_AUTHOR_CAP} per movie; capped posts still reach the feed`, async () => {
    const { engine, published } = await setup();
    const posts = Array.from({ length: 10 }, (_, k) =>
      ingestPost(tweet(`s${k}`, 'spammer', T0 - k * 1000), [1]),
    );
    assert.deepEqual(await engine.ingest(posts), {
      accepted: 10,
      duplicates: 0,
      capped: 10 - DEFAULT_AUTHOR_CAP,
    });
    await engine.ingest([ingestPost(tweet('f1', 'fan', T0), [1])]);
    assert.equal((await engine.counts(T0)).get(1), DEFAULT_AUTHOR_CAP + 1);
    assert.equal(published.length, 11);
  });

  it('posts outside the window neither count nor reach the feed', async () => {
    const { engine, published } = await setup();
    const old = ingestPost(tweet('old', 'a', T0 - 61 * MINUTE_MS), [1]);
    const future = ingestPost(tweet('future', 'b', T0 + 6 * MINUTE_MS), [1]);
    assert.deepEqual(await engine.ingest([old, future]), { accepted: 0, duplicates: 0, capped: 0 });
    assert.deepEqual(Object.fromEntries(await engine.counts(T0)), {});
    assert.equal(published.length, 0);
  });
});

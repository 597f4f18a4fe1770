import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSource } from '../../src/feeder/sources/index.js';
import { SyntheticSource } from '../../src/feeder/sources/synthetic.js';
import { camelHashtag } from '../../src/feeder/sources/synthetic-text.js';
import type { Catalog } from '../../src/matching/catalog.js';
import type { Tweet } from '../../src/protocol/index.js';
import { FakeClock } from '../support/fake-clock.js';

const catalog: Catalog = {
  movies: [
    { id: 1, title: 'Dune: Part Two', year: 2024, aliases: ['Dune 2'], hashtags: ['DunePartTwo'] },
    { id: 2, title: 'Inside Out 2', year: 2024, hashtags: ['InsideOut2'] },
    { id: 3, title: 'Deadpool and Wolverine', year: 2024 },
    { id: 4, title: 'Weapons', year: 2025 },
    { id: 5, title: 'Sinners', year: 2025 },
    { id: 6, title: 'Oppenheimer', year: 2023 },
    { id: 7, title: 'Barbie', year: 2023 },
    { id: 8, title: 'Wicked', year: 2024 },
  ],
};

function mentions(t: Tweet, title: string): boolean {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return (
    squash(t.text).includes(squash(title).replace('and', '')) ||
    squash(t.text).includes(squash(title))
  );
}

test('paced mode emits batches at the configured rate on a fake clock', () => {
  const clock = new FakeClock(1_700_000_000_000);
  const src = createSource({
    kind: 'synthetic',
    catalog,
    rate: 50,
    seed: 1,
    clock,
    now: () => clock.now(),
  });
  const batches: Tweet[][] = [];
  src.start((b) => batches.push(b));
  clock.advance(10_000);
  const total = batches.reduce((n, b) => n + b.length, 0);
  assert.ok(total >= 495 && total <= 500, `expected ~500 posts, got ${total}`);
  // One timer per tick (80 ms), not per post.
  assert.ok(batches.length <= 10_000 / 80 + 1);
  assert.equal(src.stats().posts, total);
  const p = batches[0]![0]!;
  assert.equal(p.source, 'synthetic');
  assert.ok(!Number.isNaN(Date.parse(p.created_at)));
});

test('same seed and clock give the same stream; ids are unique', () => {
  const run = () => {
    const s = new SyntheticSource({ kind: 'synthetic', catalog, seed: 42, now: () => 1e12 });
    return Array.from({ length: 300 }, (_, i) => s.makePost(1e12 + i * 50));
  };
  const a = run();
  assert.deepEqual(a, run());
  assert.equal(new Set(a.map((t) => t.id)).size, a.length);
});

test('popularity is skewed, many posts are unrelated, some authors are prolific', () => {
  const s = new SyntheticSource({
    kind: 'synthetic',
    catalog,
    seed: 7,
    now: () => 0,
    burstChancePerSec: 0,
  });
  const posts = Array.from({ length: 4000 }, (_, i) => s.makePost(i * 10));
  const hits = catalog.movies.map((m) => posts.filter((p) => mentions(p, m.title)).length);
  const sorted = [...hits].sort((x, y) => y - x);
  assert.ok(sorted[0]! > 3 * sorted[sorted.length - 1]!, `skew: ${hits.join(',')}`);
  const unrelated = posts.filter((p) => catalog.movies.every((m) => !mentions(p, m.title)));
  assert.ok(unrelated.length > 1200 && unrelated.length < 2800, `unrelated ${unrelated.length}`);
  const byUser = new Map<string, number>();
  for (const p of posts) byUser.set(p.user.id, (byUser.get(p.user.id) ?? 0) + 1);
  assert.ok(Math.max(...byUser.values()) >= 20);
  assert.ok(new Set(posts.map((p) => p.lang)).size >= 4, 'several languages');
  assert.ok(
    posts.some((p) => p.text.includes('#')),
    'hashtags',
  );
});

test('a burst makes one movie trend', () => {
  const s = new SyntheticSource({
    kind: 'synthetic',
    catalog,
    seed: 3,
    now: () => 0,
    burstChancePerSec: 1,
    unrelatedShare: 0,
  });
  s.makePost(1000); // advances one second: a burst starts
  const posts = Array.from({ length: 1000 }, (_, i) => s.makePost(1000 + i));
  const hits = catalog.movies.map((m) => posts.filter((p) => mentions(p, m.title)).length);
  assert.ok(Math.max(...hits) > 400, `trending share: ${hits.join(',')}`);
});

test('count + unbounded mode produces exactly count posts and resolves done', async () => {
  const src = createSource({
    kind: 'synthetic',
    catalog,
    seed: 9,
    count: 25_000,
    unbounded: true,
    batchSize: 5000,
  });
  let n = 0;
  let batches = 0;
  src.start((b) => {
    n += b.length;
    batches++;
  });
  await src.done;
  assert.equal(n, 25_000);
  assert.equal(batches, 5);
  await src.stop();
});

test('stop() ends a paced stream', async () => {
  const clock = new FakeClock(0);
  const src = createSource({ kind: 'synthetic', catalog, seed: 1, clock });
  let n = 0;
  src.start((b) => {
    n += b.length;
  });
  clock.advance(1000);
  await src.stop();
  const before = n;
  clock.advance(5000);
  assert.equal(n, before);
  assert.equal(clock.pending(), 0);
});

test('camelHashtag', () => {
  assert.equal(camelHashtag('Dune: Part Two'), 'DunePartTwo');
  assert.equal(camelHashtag('Deadpool & Wolverine'), 'DeadpoolAndWolverine');
  assert.equal(camelHashtag('Amélie'), 'Amelie');
});

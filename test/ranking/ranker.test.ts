/**
 * The ranking clients see: order by past-hour count (ties by title), pushed when it
 * changes and only then, and counts that fall as posts age out with no new posts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Ranking } from '../../src/engine/engine.js';
import { MemoryEngine } from '../../src/engine/memory.js';
import { Ranker } from '../../src/feeder/ranker.js';
import type { Catalog } from '../../src/matching/catalog.js';
import { rankMovies } from '../../src/ranking/rank.js';
import { post } from '../support/endpoint.js';

const catalog: Catalog = {
  movies: [
    { id: 1, title: 'Beta', year: 2024, aliases: ['B'], hashtags: ['Beta'], poster: 'b.jpg' },
    { id: 2, title: 'Alpha', year: 2025 },
    { id: 3, title: 'Gamma' },
  ],
};

test('order is count descending, ties by title; matching fields stay home, others pass through', () => {
  const ranked = rankMovies(catalog, new Map([[3, 5]]));
  assert.deepEqual(
    ranked.map((m) => [m.id, m.count, m.rank]),
    [
      [3, 5, 1],
      [2, 0, 2],
      [1, 0, 3],
    ],
  );
  const beta = ranked.find((m) => m.id === 1)!;
  assert.equal(beta.poster, 'b.jpg');
  assert.equal('aliases' in beta, false);
  assert.equal('hashtags' in beta, false);
});

test('the ranker publishes when counts change, not otherwise, and counts age out', async () => {
  let now = Date.UTC(2026, 10, 26, 12, 0, 10);
  const engine = new MemoryEngine({ now: () => now });
  const pushed: Ranking[] = [];
  engine.onRanking((r) => pushed.push(r));
  const ranker = new Ranker(engine, catalog, { now: () => now });

  assert.equal(await ranker.tick(), true, 'the first ranking is always published');
  assert.equal(await ranker.tick(), false, 'nothing changed');
  await engine.ingest([
    { ...post([2]), at: now },
    { ...post([2]), at: now },
    { ...post([1]), at: now },
  ]);
  assert.equal(await ranker.tick(), true);
  assert.deepEqual(
    pushed.at(-1)!.movies.map((m) => [m.title, m.count]),
    [
      ['Alpha', 2],
      ['Beta', 1],
      ['Gamma', 0],
    ],
  );
  now += 59 * 60_000;
  assert.equal(await ranker.tick(), false, 'still inside the hour');
  now += 60_000;
  assert.equal(await ranker.tick(), true, 'the minute aged out with no new post');
  assert.deepEqual(
    pushed.at(-1)!.movies.map((m) => m.count),
    [0, 0, 0],
  );
  assert.equal(pushed.length, 3);
});

/**
 * The protocol-v2 apply rule (src/protocol/ranking.ts) as a property: for random
 * catalogs, random count streams and random list sizes, applying the diff of every
 * step to the previous list gives exactly the next list, ranks included.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  applyRankingUpdate,
  assignRanks,
  compareTitles,
  diffRanking,
  type RankedMovie,
  RankingUpdateError,
} from '../../src/protocol/index.js';

function ranked(titles: string[], counts: number[], trends: number[], size: number): RankedMovie[] {
  const rows = titles.map((title, i) => ({
    id: i + 1,
    title,
    year: 2020 + (i % 5),
    count: counts[i] ?? 0,
    rank: 0,
    trend: trends[i] ?? 0,
  }));
  return assignRanks(rows).slice(0, size);
}

test('applying every diff in order reproduces every list (random streams and sizes)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ maxLength: 4, unit: fc.constantFrom('a', 'b', 'É', '😀', '\ue000') }), {
        minLength: 1,
        maxLength: 30,
      }),
      fc.integer({ min: 1, max: 100 }),
      fc.array(
        fc.array(fc.tuple(fc.nat(29), fc.integer({ min: -3, max: 5 }), fc.nat(30)), {
          maxLength: 12,
        }),
        { minLength: 1, maxLength: 25 },
      ),
      (titles, size, steps) => {
        const counts = titles.map(() => 0);
        const trends = titles.map(() => 0);
        let server = ranked(titles, counts, trends, size);
        let client = server.map((m) => ({ ...m }));
        for (const step of steps) {
          for (const [i, dc, tr] of step) {
            if (i >= titles.length) continue;
            counts[i] = Math.max(0, counts[i]! + dc);
            trends[i] = tr / 10;
          }
          const next = ranked(titles, counts, trends, size);
          const diff = diffRanking(server, next);
          assert.ok(diff !== null);
          for (const e of diff.movies) assert.equal('rank' in e, false, 'rank never travels');
          client = applyRankingUpdate(client, diff);
          assert.deepEqual(client, next);
          server = next;
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('titles order by code point, not by UTF-16 unit', () => {
  // U+1F600 (a surrogate pair in UTF-16) is above U+E000 as a code point.
  assert.ok(compareTitles('😀', '\ue000') > 0);
  assert.ok('😀' < '\ue000', 'JavaScript < would say the opposite');
  assert.ok(compareTitles('Alien', 'Aliens') < 0);
  assert.ok(compareTitles('a', 'B') > 0, 'no case folding');
  const sorted = ['b', '\ue000', '😀', 'B', 'é'].sort(compareTitles);
  const byBytes = ['b', '\ue000', '😀', 'B', 'é'].sort((x, y) =>
    Buffer.compare(Buffer.from(x), Buffer.from(y)),
  );
  assert.deepEqual(sorted, byBytes);
});

test('an unchanged list diffs to nothing; a dropped field cannot be a delta', () => {
  const a = ranked(['x', 'y'], [3, 1], [0, 0], 2);
  assert.deepEqual(
    diffRanking(
      a,
      a.map((m) => ({ ...m })),
    ),
    { movies: [], removed: [] },
  );
  const b = a.map(({ year: _y, ...m }) => m as RankedMovie);
  assert.equal(diffRanking(a, b), null);
});

test('an entering movie without title or count is refused, the list untouched', () => {
  const a = ranked(['x', 'y'], [3, 1], [0, 0], 2);
  const copy = structuredClone(a);
  assert.throws(
    () => applyRankingUpdate(a, { movies: [{ id: 99, count: 4 }], removed: [] }),
    RankingUpdateError,
  );
  assert.deepEqual(a, copy);
});

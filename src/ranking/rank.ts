/**
 * Turns counts into the ranking clients see. Pure. Order: count descending, then
 * title (by code point), then id, so equal counts never flicker between pushes —
 * the order PROTOCOL.md states and v2 clients reproduce (src/protocol/ranking.ts).
 */
import type { Catalog } from '../matching/catalog.js';
import { assignRanks, type RankedMovie } from '../protocol/index.js';
import { type MovieActivity, trendOf } from './trend.js';

export function rankMovies(
  catalog: Catalog,
  activity: ReadonlyMap<number, MovieActivity | number>,
): RankedMovie[] {
  const rows = catalog.movies.map((m) => {
    // Matching-only fields stay home; any other catalog field (poster, …) passes through.
    const { aliases: _a, hashtags: _h, ...shown } = m;
    const a = activity.get(m.id);
    // A bare count (no per-minute sums) has no trend to tell: 0.
    if (typeof a === 'number' || a === undefined)
      return { ...shown, count: a ?? 0, rank: 0, trend: 0 };
    return { ...shown, count: a.count, rank: 0, trend: trendOf(a) };
  });
  return assignRanks(rows);
}

/** True when two rankings would show the same thing (same order, counts and trends). */
export function sameRanking(a: readonly RankedMovie[], b: readonly RankedMovie[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.id !== y.id || x.count !== y.count || x.title !== y.title || x.trend !== y.trend)
      return false;
  }
  return true;
}

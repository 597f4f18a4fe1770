/**
 * Turns counts into the ranking clients see. Pure. Order: count descending, then
 * title, then id, so equal counts never flicker between pushes.
 */
import type { Catalog } from '../matching/catalog.js';
import type { RankedMovie } from '../protocol/index.js';

export function rankMovies(catalog: Catalog, counts: ReadonlyMap<number, number>): RankedMovie[] {
  const rows = catalog.movies.map((m) => {
    // Matching-only fields stay home; any other catalog field (poster, …) passes through.
    const { aliases: _a, hashtags: _h, ...shown } = m;
    return { ...shown, count: counts.get(m.id) ?? 0, rank: 0 };
  });
  rows.sort(
    (a, b) => b.count - a.count || (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id - b.id),
  );
  rows.forEach((r, i) => {
    r.rank = i + 1;
  });
  return rows;
}

/** True when two rankings would show the same thing (same order, same counts). */
export function sameRanking(a: readonly RankedMovie[], b: readonly RankedMovie[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.id !== y.id || x.count !== y.count || x.title !== y.title) return false;
  }
  return true;
}

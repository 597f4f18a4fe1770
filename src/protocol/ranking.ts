/**
 * The ranking's order and the protocol-v2 delta rule (PROTOCOL.md § 5, `update_movies`).
 * One implementation shared by the server (which diffs), the SDK (which applies) and the
 * tests (which check that applying every update gives the server's list): if the three
 * had their own copies, a disagreement would show up as a silently wrong screen.
 * Pure; nothing here knows about sockets or engines.
 */
import type { UpdateMoviesMessage } from './messages.js';
import type { RankedMovie, RankingUpdateEntry } from './movie.js';

/**
 * Titles compare by Unicode code point (what a byte-wise compare of their UTF-8 gives),
 * with no case folding and no normalization, so every client language can reproduce
 * it. JavaScript's `<` compares UTF-16 code units, which disagrees with code points
 * only when a surrogate (a code point above U+FFFF) meets U+E000…U+FFFF; that case is
 * handled here.
 */
export function compareTitles(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** The ranking order: `count` descending, then `title` (code points), then `id` ascending. */
export function compareRanked(
  a: Pick<RankedMovie, 'id' | 'title' | 'count'>,
  b: Pick<RankedMovie, 'id' | 'title' | 'count'>,
): number {
  return b.count - a.count || compareTitles(a.title, b.title) || a.id - b.id;
}

/** Sorts in place by the ranking order and numbers the ranks 1…n. */
export function assignRanks<T extends RankedMovie>(movies: T[]): T[] {
  movies.sort(compareRanked);
  for (let i = 0; i < movies.length; i++) movies[i]!.rank = i + 1;
  return movies;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Extra catalog fields may be objects (e.g. a poster set); compare them as JSON.
  return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
}

export type RankingDiff = Pick<UpdateMoviesMessage['params'], 'movies' | 'removed'>;

/**
 * What turns the list `prev` into `next` (both as a `set_movies` would carry them):
 * entering movies with every field but `rank`, staying movies with `id` and the fields
 * whose value changed, and the ids that left. `rank` never travels: the client derives
 * it from the order. Returns null when the change cannot be said as a delta (a movie
 * lost a field); the caller sends a full `set_movies` instead.
 */
export function diffRanking(
  prev: readonly RankedMovie[],
  next: readonly RankedMovie[],
): RankingDiff | null {
  const before = new Map<number, RankedMovie>();
  for (const m of prev) before.set(m.id, m);
  const movies: RankingUpdateEntry[] = [];
  for (const m of next) {
    const old = before.get(m.id);
    before.delete(m.id);
    if (old === undefined) {
      const { rank: _r, ...entry } = m;
      movies.push(entry as RankingUpdateEntry);
      continue;
    }
    let entry: RankingUpdateEntry | null = null;
    for (const key of Object.keys(m)) {
      if (key === 'rank' || key === 'id') continue;
      if (sameValue(m[key], old[key])) continue;
      entry ??= { id: m.id };
      entry[key] = m[key];
    }
    for (const key of Object.keys(old)) if (!(key in m)) return null;
    if (entry !== null) movies.push(entry);
  }
  return { movies, removed: [...before.keys()] };
}

/** Why an update could not be applied (the client's list is not the one it was made for). */
export class RankingUpdateError extends Error {}

/**
 * Applies one `update_movies` to the list a client holds (PROTOCOL.md § 5): drop
 * `removed`, merge each entry's fields into the movie with its id (or add it: an
 * entering movie carries `title` and `count`), then sort by the ranking order and
 * number the ranks. Returns a new list; `list` is not changed.
 */
export function applyRankingUpdate(
  list: readonly RankedMovie[],
  update: RankingDiff,
): RankedMovie[] {
  const byId = new Map<number, RankedMovie>();
  for (const m of list) byId.set(m.id, m);
  for (const id of update.removed) byId.delete(id);
  for (const entry of update.movies) {
    const old = byId.get(entry.id);
    if (old === undefined) {
      if (typeof entry.title !== 'string' || typeof entry.count !== 'number')
        throw new RankingUpdateError(`movie ${entry.id} entered without title and count`);
      byId.set(entry.id, { ...entry, rank: 0 } as RankedMovie);
    } else byId.set(entry.id, { ...old, ...entry } as RankedMovie);
  }
  // Copies: assignRanks numbers in place, and the old list's objects stay untouched.
  return assignRanks([...byId.values()].map((m) => ({ ...m })));
}

/**
 * The workload shapes: which movie each client follows and which movie each post is
 * about. `one`: everyone follows one movie. `skewed`: 100 movies (as many of the
 * catalog as the matcher maps unambiguously), Zipf(1) popularity for both followers
 * and posts — the shape of a real ranking, where the top movie has ~19% of the
 * audience. Deterministic (seeded), so every target gets the same workload.
 */

import { mulberry32 } from '../../src/feeder/sources/prng.js';
import { type Catalog, DEFAULT_CATALOG_PATH, loadCatalog } from '../../src/matching/catalog.js';
import { compileMatcher } from '../../src/matching/matcher.js';
import { benchTweet } from './wire.js';

export type Shape = 'one' | 'skewed';

export interface BenchMovie {
  id: number;
  title: string;
}

/** Catalog movies whose bench text matches exactly that movie, in catalog order. */
export async function benchMovies(limit = 100): Promise<BenchMovie[]> {
  const catalog: Catalog = await loadCatalog(DEFAULT_CATALOG_PATH);
  const matcher = compileMatcher(catalog);
  const out: BenchMovie[] = [];
  for (const m of catalog.movies) {
    const text = (
      JSON.parse(benchTweet({ phase: 0, movie: m.id, mseq: 0, g: 0, sentUs: 0 }, m.title, 'x')) as {
        text: string;
      }
    ).text;
    const ids = matcher.match(text);
    if (ids.length === 1 && ids[0] === m.id) out.push({ id: m.id, title: m.title });
    if (out.length === limit) break;
  }
  return out;
}

function zipfCdf(n: number): number[] {
  const w = Array.from({ length: n }, (_, k) => 1 / (k + 1));
  const total = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  return w.map((x) => (acc += x / total));
}

function pick(cdf: number[], u: number): number {
  let i = 0;
  while (i < cdf.length - 1 && cdf[i]! < u) i++;
  return i;
}

/** The movie each of `clients` follows. */
export function clientMovies(shape: Shape, movies: BenchMovie[], clients: number): number[] {
  if (shape === 'one') return new Array<number>(clients).fill(movies[0]!.id);
  const cdf = zipfCdf(movies.length);
  return Array.from({ length: clients }, (_, i) => movies[pick(cdf, (i + 0.5) / clients)]!.id);
}

/** The movie of each of `posts` posts (only movies somebody follows). */
export function postMovies(
  shape: Shape,
  movies: BenchMovie[],
  followed: Set<number>,
  posts: number,
  seed = 7,
): number[] {
  if (shape === 'one') return new Array<number>(posts).fill(movies[0]!.id);
  const live = movies.filter((m) => followed.has(m.id));
  const cdf = zipfCdf(live.length);
  const rnd = mulberry32(seed);
  return Array.from({ length: posts }, () => live[pick(cdf, rnd())]!.id);
}

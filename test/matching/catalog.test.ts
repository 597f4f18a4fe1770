import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type Catalog,
  DEFAULT_CATALOG_PATH,
  loadCatalog,
  parseCatalog,
  watchCatalog,
} from '../../src/matching/catalog.js';

test('a valid catalog parses and keeps extra fields', () => {
  const r = parseCatalog({
    movies: [
      {
        id: 1,
        title: 'Dune',
        year: 2021,
        aliases: ['Dune 1'],
        hashtags: ['Dune'],
        poster: 'x.jpg',
      },
    ],
  });
  assert.ok(r.ok);
  assert.equal(r.catalog.movies[0]!.poster, 'x.jpg');
});

test('problems are reported with their JSON path', () => {
  const r = parseCatalog({
    movies: [
      { id: 1, title: 'A' },
      { id: 1, title: 'B' },
      { id: 0, title: '' },
      { id: 2.5, title: 'C', year: '2024' },
      { id: 3, title: 'D', aliases: 'x', hashtags: ['#D', 'two words'] },
      'nope',
    ],
  });
  assert.ok(!r.ok);
  assert.deepEqual(r.errors, [
    '$.movies[1].id: duplicate id 1 (also at $.movies[0])',
    '$.movies[2].id: must be a positive integer, got the number 0',
    '$.movies[2].title: must be a non-empty string, got the string ""',
    '$.movies[3].id: must be a positive integer, got the number 2.5',
    '$.movies[3].year: must be an integer between 1870 and 2100, got the string "2024"',
    '$.movies[4].aliases: must be an array of strings, got the string "x"',
    '$.movies[4].hashtags[0]: hashtags are given without "#", got "#D"',
    '$.movies[4].hashtags[1]: a hashtag has no spaces, got "two words"',
    '$.movies[5]: must be an object, got the string "nope"',
  ]);
});

test('the top level must be {"movies": [...]}', () => {
  assert.deepEqual(parseCatalog([]), {
    ok: false,
    errors: ['$: must be an object {"movies": [...]}, got an array'],
  });
  assert.deepEqual(parseCatalog({}), {
    ok: false,
    errors: ['$.movies: must be an array, got nothing (missing)'],
  });
});

test('the shipped catalog loads and holds at least 60 films', async () => {
  const c = await loadCatalog(DEFAULT_CATALOG_PATH);
  assert.ok(c.movies.length >= 60);
});

test('loadCatalog throws one Error listing the problems', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fg-cat-'));
  try {
    const file = join(dir, 'c.json');
    await writeFile(file, '{"movies":[{"id":-1,"title":"x"}]}');
    await assert.rejects(loadCatalog(file), /\$\.movies\[0\]\.id: must be a positive integer/);
    await writeFile(file, '{"movies":[');
    await assert.rejects(loadCatalog(file), /not valid JSON/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('watchCatalog delivers a changed valid file and ignores an invalid one', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fg-watch-'));
  const file = join(dir, 'catalog.json');
  await writeFile(file, '{"movies":[{"id":1,"title":"A"}]}');
  const seen: Catalog[] = [];
  const logs: string[] = [];
  let wake: () => void = () => {};
  const stop = watchCatalog(
    file,
    (c) => {
      seen.push(c);
      wake();
    },
    { debounceMs: 10, pollMs: 50, log: (msg) => logs.push(msg) },
  );
  try {
    // Wait for the watcher to record the initial state, then write invalid, then valid.
    await new Promise((r) => setTimeout(r, 60));
    await writeFile(`${file}.tmp`, '{"movies":[{"id":"x"}]}');
    await rename(`${file}.tmp`, file);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(seen.length, 0);
    assert.ok(logs.some((l) => l.includes('invalid')));
    const next = new Promise<void>((r) => {
      wake = r;
    });
    await writeFile(`${file}.tmp`, '{"movies":[{"id":2,"title":"B"}]}');
    await rename(`${file}.tmp`, file);
    await next;
    assert.equal(seen.at(-1)!.movies[0]!.title, 'B');
  } finally {
    stop();
    await rm(dir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CATALOG_PATH, loadCatalog } from '../../src/matching/catalog.js';
import { evaluate, loadEvalSet } from '../../src/matching/evaluate.js';
import { compileMatcher } from '../../src/matching/matcher.js';

test('the labeled eval set scores F1 >= 0.95 with precision >= 0.98', async () => {
  const catalog = await loadCatalog(DEFAULT_CATALOG_PATH);
  const posts = await loadEvalSet(resolve(DEFAULT_CATALOG_PATH, '..', 'eval'));
  assert.ok(posts.length >= 300, `${posts.length} posts`);
  const ids = new Set(catalog.movies.map((m) => m.id));
  for (const p of posts) for (const id of p.movie_ids) assert.ok(ids.has(id), `${p.id}: ${id}`);
  const report = evaluate(compileMatcher(catalog), posts);
  assert.ok(report.f1 >= 0.95, `F1 ${report.f1}`);
  assert.ok(report.precision >= 0.98, `precision ${report.precision}`);
});

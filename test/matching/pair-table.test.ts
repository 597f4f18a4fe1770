import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PairTable } from '../../src/matching/pair-table.js';

test('PairTable keeps every pair through growth, overwrites, and answers -1 for the rest', () => {
  const t = new PairTable(4);
  const n = 20_000;
  // Small consecutive keys (trie nodes) and mixed ones (token hashes), as the matcher uses.
  for (let k = 0; k < n; k++) t.set(k, k % 7, k);
  for (let k = 0; k < n; k++) t.set(Math.imul(k + 1, 0x9e3779b1), -(k + 1), k + 1);
  assert.equal(t.size, 2 * n);
  for (let k = 0; k < n; k++) {
    assert.equal(t.get(k, k % 7), k);
    assert.equal(t.get(Math.imul(k + 1, 0x9e3779b1), -(k + 1)), k + 1);
  }
  assert.equal(t.get(5, 6), -1);
  t.set(5, 5, 42);
  assert.equal(t.get(5, 5), 42);
  assert.equal(t.size, 2 * n);
});

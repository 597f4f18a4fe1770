/**
 * The ▲/▼ bookkeeping of the web app (src/web/ranking-moves.ts), on an injected clock:
 * moves show, add up within the hold window, cancel out, expire, and the first list
 * marks nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RankMoves } from '../../src/web/ranking-moves.js';

const list = (...ids: number[]) => ids.map((id, i) => ({ id, rank: i + 1 }));

test('the first ranking marks nothing; a move shows its places, up or down', () => {
  const m = new RankMoves(60_000);
  m.update(list(1, 2, 3, 4), 0);
  for (const id of [1, 2, 3, 4]) assert.equal(m.moveOf(id, 0), undefined);
  m.update(list(3, 1, 2, 4), 1000);
  assert.deepEqual(m.moveOf(3, 1000), { kind: 'up', places: 2 });
  assert.deepEqual(m.moveOf(1, 1000), { kind: 'down', places: 1 });
  assert.deepEqual(m.moveOf(2, 1000), { kind: 'down', places: 1 });
  assert.equal(m.moveOf(4, 1000), undefined);
});

test('moves within the hold window add up; back to where it was clears the arrow', () => {
  const m = new RankMoves(60_000);
  m.update(list(1, 2, 3, 4), 0);
  m.update(list(1, 2, 4, 3), 1000);
  m.update(list(1, 4, 2, 3), 2000);
  assert.deepEqual(m.moveOf(4, 2000), { kind: 'up', places: 2 }, '▲1 then ▲1 is ▲2');
  m.update(list(1, 2, 3, 4), 3000);
  assert.equal(m.moveOf(4, 3000), undefined, 'up 2 then down 2: no arrow');
});

test('an arrow lasts holdMs after the last move; a new entry is "new"; a leaver is forgotten', () => {
  const m = new RankMoves(10_000);
  m.update(list(1, 2, 3), 0);
  m.update(list(2, 1, 3), 1000);
  assert.deepEqual(m.moveOf(2, 11_000), { kind: 'up', places: 1 });
  assert.equal(m.moveOf(2, 11_001), undefined, 'expired');
  m.update(list(2, 1, 9), 12_000);
  assert.deepEqual(m.moveOf(9, 12_000), { kind: 'new' });
  assert.equal(m.moveOf(3, 12_000), undefined);
  // A move after the window starts a new window from the rank it had then.
  m.update(list(1, 2, 9), 30_000);
  assert.deepEqual(m.moveOf(1, 30_000), { kind: 'up', places: 1 });
});

test('an empty first list (no ranking yet) does not count as the first', () => {
  const m = new RankMoves();
  m.update([], 0);
  m.update(list(1, 2), 1000);
  assert.equal(m.moveOf(1, 1000), undefined);
  assert.equal(m.moveOf(2, 1000), undefined);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, backoffDelay, backoffWindow } from '../../src/retry/backoff.js';

test('windows grow exponentially and stop at the cap', () => {
  const opts = { baseMs: 100, capMs: 1000 };
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 100].map((n) => backoffWindow(n, opts)),
    [100, 200, 400, 800, 1000, 1000, 1000],
  );
  assert.equal(backoffWindow(10_000), 30_000, 'huge attempt counts do not overflow');
});

test('full jitter draws uniformly below the window; none waits the whole window', () => {
  assert.equal(backoffDelay(3, { baseMs: 100, random: () => 0 }), 0);
  assert.equal(backoffDelay(3, { baseMs: 100, random: () => 0.5 }), 400);
  assert.equal(backoffDelay(3, { baseMs: 100, random: () => 0.999999 }), 799);
  assert.equal(backoffDelay(3, { baseMs: 100, jitter: 'none' }), 800);
});

test('Backoff advances and resets', () => {
  const b = new Backoff({ baseMs: 10, capMs: 50, jitter: 'none' });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next()], [10, 20, 40, 50]);
  assert.equal(b.attempts, 4);
  b.reset();
  assert.equal(b.next(), 10);
});

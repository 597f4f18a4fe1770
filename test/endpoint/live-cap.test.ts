/** The per-feed live rate cap (PROTOCOL.md § Hot feeds), on an injected clock. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveCap } from '../../src/endpoint/live-cap.js';

describe('live rate cap', () => {
  test('a burst passes, the rest is skipped and counted on the next delivered post', () => {
    let t = 0;
    const cap = new LiveCap(10, 3, { now: () => t });
    const got = Array.from({ length: 8 }, () => cap.admit(false));
    assert.deepEqual(
      got.map((a) => (a === null ? 'skip' : a.skipped)),
      [0, 0, 0, 'skip', 'skip', 'skip', 'skip', 'skip'],
    );
    t += 100; // 10/s: one more token
    assert.deepEqual(cap.admit(false), { skipped: 5, gap: false }, '"+5 more"');
    assert.equal(cap.admit(false), null);
    t += 100;
    assert.deepEqual(cap.admit(false), { skipped: 1, gap: false }, 'the count restarts');
  });

  test('under the rate nothing is skipped', () => {
    let t = 0;
    const cap = new LiveCap(10, 2, { now: () => t });
    for (let i = 0; i < 50; i++) {
      t += 100;
      assert.deepEqual(cap.admit(false), { skipped: 0, gap: false });
    }
  });

  test('a skipped post with gap hands the flag to the next delivered one', () => {
    let t = 0;
    const cap = new LiveCap(1, 1, { now: () => t });
    assert.deepEqual(cap.admit(false), { skipped: 0, gap: false });
    assert.equal(cap.admit(true), null);
    t += 1000;
    assert.deepEqual(cap.admit(false), { skipped: 1, gap: true });
    t += 1000;
    assert.deepEqual(cap.admit(false), { skipped: 0, gap: false });
  });

  test('rate 0 turns the cap off', () => {
    const cap = new LiveCap(0, 0, { now: () => 0 });
    for (let i = 0; i < 1000; i++) assert.deepEqual(cap.admit(false), { skipped: 0, gap: false });
  });
});

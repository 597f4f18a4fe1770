/**
 * The rolling hour (issue 3 §3) with a controllable clock: `now` is a number each call
 * takes, so minutes pass without sleeping.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type CountInput,
  DEFAULT_AUTHOR_CAP,
  DEFAULT_MAX_SKEW_MS,
  MINUTE_MS,
  minuteOf,
  RollingCounts,
  WINDOW_MINUTES,
} from '../../src/ranking/window.js';

/** 12:00:00.000 on some day: minute boundaries fall on round numbers. */
const T0 = Date.UTC(2025, 5, 1, 12);
const at = (minute: number, second = 0): number => T0 + minute * MINUTE_MS + second * 1000;

let serial = 0;
/** A post with a fresh key (and a fresh author unless one is given). */
function post(movieIds: number[], when: number, author?: string, key?: string): CountInput {
  serial++;
  return { key: key ?? `k${serial}`, author: author ?? `a${serial}`, movieIds, at: when };
}

const totals = (c: RollingCounts, now: number): Record<number, number> =>
  Object.fromEntries(c.totals(now));

describe('RollingCounts: counts rise and age out', () => {
  it('counts rise as posts arrive, per movie', () => {
    const c = new RollingCounts();
    assert.deepEqual(totals(c, at(0)), {});
    c.add(post([1], at(0, 5)), at(0, 5));
    assert.deepEqual(totals(c, at(0, 5)), { 1: 1 });
    c.add(post([1, 2], at(0, 10)), at(0, 10));
    c.add(post([2], at(3)), at(3));
    assert.deepEqual(totals(c, at(3)), { 1: 2, 2: 2 });
  });

  it('ages out minute by minute with no new posts', () => {
    const c = new RollingCounts();
    // One post for movie 7 in each of minutes 0..4, two for movie 8 in minute 2.
    for (let m = 0; m < 5; m++) c.add(post([7], at(m, 30)), at(m, 30));
    c.add(post([8], at(2, 1)), at(2, 1));
    c.add(post([8], at(2, 2)), at(2, 2));
    assert.deepEqual(totals(c, at(59, 59)), { 7: 5, 8: 2 });
    // Minute m leaves the window exactly 60 minutes after it began.
    const expected: Record<number, number>[] = [
      { 7: 4, 8: 2 },
      { 7: 3, 8: 2 },
      { 7: 2 },
      { 7: 1 },
      {},
    ];
    for (let m = 0; m < 5; m++) {
      assert.deepEqual(totals(c, at(WINDOW_MINUTES + m) - 1), expected[m - 1] ?? { 7: 5, 8: 2 });
      assert.deepEqual(totals(c, at(WINDOW_MINUTES + m)), expected[m], `at minute ${60 + m}`);
    }
    assert.deepEqual(totals(c, at(24 * 60)), {});
  });

  it('a post counts for exactly the 60 minutes of the window, at per-minute resolution', () => {
    const c = new RollingCounts();
    c.add(post([1], at(10, 59)), at(11));
    for (let m = 10; m < 70; m++) assert.deepEqual(totals(c, at(m, 59)), { 1: 1 }, `minute ${m}`);
    assert.deepEqual(totals(c, at(70)), {});
  });

  it('a long silence ages everything out, then counting starts afresh', () => {
    const c = new RollingCounts();
    c.add(post([1], at(0)), at(0));
    c.add(post([1], at(500)), at(500));
    assert.deepEqual(totals(c, at(500)), { 1: 1 });
  });

  it('totals is a copy', () => {
    const c = new RollingCounts();
    c.add(post([1], at(0)), at(0));
    c.totals(at(0)).set(1, 99);
    assert.deepEqual(totals(c, at(0)), { 1: 1 });
  });
});

describe('RollingCounts: a post seen twice counts once', () => {
  it('the same key again is a duplicate, whatever its author or movies', () => {
    const c = new RollingCounts();
    assert.equal(c.add(post([1], at(0), 'x', 'bluesky:p1'), at(0)).kind, 'counted');
    assert.deepEqual(c.add(post([1], at(0), 'x', 'bluesky:p1'), at(0, 30)), { kind: 'duplicate' });
    assert.deepEqual(c.add(post([2], at(0), 'y', 'bluesky:p1'), at(5)), { kind: 'duplicate' });
    assert.deepEqual(totals(c, at(5)), { 1: 1 });
  });

  it('stays a duplicate for the whole hour its post counts in', () => {
    const c = new RollingCounts();
    c.add(post([1], at(0), 'x', 'p'), at(0));
    for (let m = 0; m < 60; m += 7)
      assert.equal(c.add(post([1], at(0), 'x', 'p'), at(m, 59)).kind, 'duplicate');
    // Once its minute has aged out, the post is outside the window, not counted anew.
    assert.equal(c.add(post([1], at(0), 'x', 'p'), at(60)).kind, 'outside_window');
    assert.deepEqual(totals(c, at(60)), {});
  });

  it('the same id from another source is another post', () => {
    const c = new RollingCounts();
    c.add(post([1], at(0), 'x', 'bluesky:1'), at(0));
    c.add(post([1], at(0), 'y', 'x:1'), at(0));
    assert.deepEqual(totals(c, at(0)), { 1: 2 });
  });
});

describe('RollingCounts: per-author cap', () => {
  it(`one author adds at most ${DEFAULT_AUTHOR_CAP} to one movie per window`, () => {
    const c = new RollingCounts();
    for (let k = 0; k < DEFAULT_AUTHOR_CAP; k++)
      assert.deepEqual(c.add(post([1], at(k), 'spam'), at(k)), {
        kind: 'counted',
        movieIds: [1],
        capped: 0,
      });
    for (let k = DEFAULT_AUTHOR_CAP; k < 30; k++)
      assert.deepEqual(c.add(post([1], at(k), 'spam'), at(k)), {
        kind: 'counted',
        movieIds: [],
        capped: 1,
      });
    assert.deepEqual(totals(c, at(30)), { 1: DEFAULT_AUTHOR_CAP });
  });

  it('the cap is per movie and per author', () => {
    const c = new RollingCounts(2);
    for (let k = 0; k < 5; k++) c.add(post([1, 2], at(0, k), 'fan'), at(0, k));
    const r = c.add(post([1, 3], at(1), 'fan'), at(1));
    assert.deepEqual(r, { kind: 'counted', movieIds: [3], capped: 1 });
    c.add(post([1], at(1), 'someone-else'), at(1));
    assert.deepEqual(totals(c, at(1)), { 1: 3, 2: 2, 3: 1 });
  });

  it("the author's quota comes back as the minute of their post ages out", () => {
    const c = new RollingCounts(2);
    c.add(post([1], at(0), 'fan'), at(0));
    c.add(post([1], at(10), 'fan'), at(10));
    assert.equal(c.add(post([1], at(20), 'fan'), at(20)).kind, 'counted');
    assert.deepEqual(totals(c, at(20)), { 1: 2 });
    // Minute 0 ages out at 60: one unit of quota is back, one is still used (minute 10).
    assert.deepEqual(c.add(post([1], at(60), 'fan'), at(60)), {
      kind: 'counted',
      movieIds: [1],
      capped: 0,
    });
    assert.deepEqual(c.add(post([1], at(61), 'fan'), at(61)), {
      kind: 'counted',
      movieIds: [],
      capped: 1,
    });
    assert.deepEqual(totals(c, at(61)), { 1: 2 });
    // The capped post at minute 20 never used quota: nothing comes back when it ages out.
    assert.equal(c.add(post([1], at(80), 'fan'), at(80)).kind, 'counted');
    assert.deepEqual(c.add(post([1], at(80, 1), 'fan'), at(80, 1)).kind, 'counted');
    assert.deepEqual(totals(c, at(80, 1)), { 1: 2 });
  });
});

describe('RollingCounts: posts outside the window', () => {
  it('a post older than the hour is rejected and counts nothing', () => {
    const c = new RollingCounts();
    const now = at(100);
    assert.deepEqual(c.add(post([1], at(40) - 1), now), { kind: 'outside_window' });
    assert.equal(c.add(post([1], at(41)), now).kind, 'counted');
    assert.deepEqual(totals(c, now), { 1: 1 });
  });

  it('a post from a minute that already aged out is not counted anew', () => {
    const c = new RollingCounts();
    c.add(post([1], at(0)), at(0));
    assert.deepEqual(totals(c, at(61)), {});
    assert.equal(c.add(post([1], at(0, 30)), at(61)).kind, 'outside_window');
    assert.deepEqual(totals(c, at(61)), {});
  });

  it(`a post up to ${DEFAULT_MAX_SKEW_MS / MINUTE_MS} minutes ahead counts in its own minute; further ahead is rejected`, () => {
    const c = new RollingCounts();
    const now = at(10);
    assert.equal(c.add(post([1], now + DEFAULT_MAX_SKEW_MS), now).kind, 'counted');
    assert.deepEqual(c.add(post([1], now + DEFAULT_MAX_SKEW_MS + 1), now), {
      kind: 'outside_window',
    });
    assert.deepEqual(totals(c, now), { 1: 1 });
    // It ages out 60 minutes after its own minute, not after `now`'s.
    assert.deepEqual(totals(c, at(10 + 5 + 59, 59)), { 1: 1 });
    assert.deepEqual(totals(c, at(10 + 5 + 60)), {});
  });

  it('a clock that steps back still ages everything out on time', () => {
    const c = new RollingCounts();
    c.totals(at(100));
    // The clock stepped back 50 minutes (NTP): a post at minute 30 is inside that window…
    assert.equal(c.add(post([1], at(30)), at(50)).kind, 'counted');
    assert.deepEqual(totals(c, at(50)), { 1: 1 });
    // …and gone once the clock is back at minute 100 (window 41..100).
    assert.deepEqual(totals(c, at(100)), {});
  });
});

describe('RollingCounts against a naive model', () => {
  it('matches a recount from scratch after any sequence of posts and clock moves', () => {
    type Op =
      | { op: 'post'; id: number; author: number; movies: number[]; lag: number }
      | { op: 'tick'; ms: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        op: fc.constant('post' as const),
        id: fc.integer({ min: 0, max: 60 }),
        author: fc.integer({ min: 0, max: 4 }),
        movies: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        // Mostly recent, some old, some ahead of the clock.
        lag: fc.integer({ min: -8 * MINUTE_MS, max: 70 * MINUTE_MS }),
      }),
      fc.record({
        op: fc.constant('tick' as const),
        ms: fc.integer({ min: 0, max: 20 * MINUTE_MS }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 150 }),
        fc.integer({ min: 1, max: 3 }),
        (ops, cap) => {
          const c = new RollingCounts(cap);
          // The model: every counted (author, movie, minute) kept; quota and totals recomputed.
          const counted: { key: string; author: number; movie: number; minute: number }[] = [];
          const seen = new Map<string, number>(); // key → minute it counted in
          let now = T0;
          const inWindow = (minute: number): boolean => minute > minuteOf(now) - WINDOW_MINUTES;
          for (const o of ops) {
            if (o.op === 'tick') {
              now += o.ms;
              continue;
            }
            const when = now - o.lag;
            // A post's time is part of it: the same id always carries the same time.
            const key = `p${o.id}`;
            const postAt = seen.has(key) ? seen.get(key)! * MINUTE_MS + 1 : when;
            const minute = minuteOf(postAt);
            const r = c.add({ key, author: `u${o.author}`, movieIds: o.movies, at: postAt }, now);
            if (!inWindow(minute) || postAt > now + DEFAULT_MAX_SKEW_MS) {
              assert.equal(r.kind, 'outside_window');
              continue;
            }
            if (seen.has(key) && inWindow(seen.get(key)!)) {
              assert.equal(r.kind, 'duplicate');
              continue;
            }
            seen.set(key, minute);
            const expect: number[] = [];
            for (const movie of o.movies) {
              const used = counted.filter(
                (x) => x.author === o.author && x.movie === movie && inWindow(x.minute),
              ).length;
              if (used < cap) {
                expect.push(movie);
                counted.push({ key, author: o.author, movie, minute });
              }
            }
            assert.deepEqual(r, {
              kind: 'counted',
              movieIds: expect,
              capped: o.movies.length - expect.length,
            });
            const model = new Map<number, number>();
            for (const x of counted)
              if (inWindow(x.minute)) model.set(x.movie, (model.get(x.movie) ?? 0) + 1);
            assert.deepEqual(c.totals(now), model);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

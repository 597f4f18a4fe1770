/**
 * The catch-up rule, proven once for both users (endpoint start_feed, Redis feeds):
 * for every point at which the history read can complete while live posts keep
 * arriving, the consumer sees each post exactly once, in order — no gap and no
 * duplicate — or, when the hold bound is passed, is told so (`heldDropped` with the
 * drop-oldest policy, `overflowed` with give-up) and still never sees a duplicate.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CatchUp, type HoldBound } from '../../src/engine/catch-up.js';

type Item = { id: string; bytes: number };
const item = (n: number): Item => ({ id: `${1000 + n}-0`, bytes: 10 + (n % 7) });
const ids = (xs: readonly Item[]) => xs.map((x) => x.id);

const POLICIES: { name: string; bound: HoldBound<Item> }[] = [
  {
    name: 'count, drop oldest (Redis feeds)',
    bound: { max: 5, weigh: () => 1, onExceed: 'drop_oldest' },
  },
  {
    name: 'bytes, give up (endpoint)',
    bound: { max: 60, weigh: (x) => x.bytes, onExceed: 'give_up' },
  },
  {
    name: 'unbounded',
    bound: { max: Number.POSITIVE_INFINITY, weigh: () => 1, onExceed: 'give_up' },
  },
];

/**
 * A feed of posts 1..total. The consumer subscribes before post `subscribedAt`, the
 * history read sees posts up to `readSees` (the store at read time), and the read
 * completes once posts up to `completesAt` were published. `since` = the consumer
 * already has posts up to it (0 = none). History returns everything after `since`.
 */
function run(
  bound: HoldBound<Item>,
  o: { since: number; subscribedAt: number; readSees: number; completesAt: number; total: number },
) {
  const all = Array.from({ length: o.total }, (_, i) => item(i + 1));
  const catchUp = new CatchUp<Item>((x) => x.id, bound, o.since > 0 ? item(o.since).id : undefined);
  const got: Item[] = [];
  let released = null as ReturnType<CatchUp<Item>['release']> | null;
  for (let n = o.subscribedAt; n <= o.total; n++) {
    // Post n is published (live, to the subscription).
    if (catchUp.holding) catchUp.hold([all[n - 1]!]);
    else got.push(...catchUp.fresh([all[n - 1]!]));
    if (n === o.completesAt) {
      const history = all.slice(o.since, o.readSees);
      released = catchUp.release(history);
      got.push(...released.items);
    }
  }
  return { got, released: released!, all };
}

describe('CatchUp', () => {
  for (const { name, bound } of POLICIES) {
    test(`no gap and no duplicate at every interleaving: ${name}`, () => {
      let cases = 0;
      let flagged = 0;
      const total = 14;
      for (let since = 0; since <= 3; since++)
        for (let subscribedAt = since + 1; subscribedAt <= 8; subscribedAt++)
          // The read starts after subscribing: it sees at least subscribedAt - 1 posts.
          for (let readSees = subscribedAt - 1; readSees <= 10; readSees++)
            for (
              let completesAt = Math.max(readSees, subscribedAt);
              completesAt <= 12;
              completesAt++
            ) {
              cases++;
              const { got, released, all } = run(bound, {
                since,
                subscribedAt,
                readSees,
                completesAt,
                total,
              });
              const seen = ids(got);
              assert.equal(new Set(seen).size, seen.length, 'no duplicate');
              assert.deepEqual([...seen].sort(), seen, 'in order');
              const expected = ids(all.slice(since));
              if (!released.heldDropped && !released.overflowed) {
                assert.deepEqual(seen, expected, 'no gap: every post after since, once');
                continue;
              }
              flagged++;
              // Lost posts are only ever reported, never silent: all lie right at the
              // flagged boundary (after the history, before the first released held post).
              const missing = expected.filter((id) => !seen.includes(id));
              assert.ok(missing.length > 0, 'a flag means something is missing');
              const before = seen.slice(0, released.heldFrom);
              assert.deepEqual(
                before,
                expected.slice(0, before.length),
                'the history part is whole',
              );
              if (released.heldDropped) {
                assert.equal(bound.onExceed, 'drop_oldest');
                const first = released.items[released.heldFrom];
                assert.ok(first !== undefined, 'the gap is marked on a released post');
                for (const id of missing) assert.ok(id < first.id);
              }
              if (released.overflowed) assert.equal(bound.onExceed, 'give_up');
            }
      assert.ok(cases > 200, `${cases} interleavings`);
      if (bound.max === Number.POSITIVE_INFINITY) assert.equal(flagged, 0, 'unbounded never loses');
      else assert.ok(flagged > 0, 'the bound was exercised');
    });
  }

  test('give_up: hold returns false from the first post past the bound', () => {
    const c = new CatchUp<Item>((x) => x.id, {
      max: 25,
      weigh: (x) => x.bytes,
      onExceed: 'give_up',
    });
    assert.equal(c.hold([item(1)]), true);
    assert.equal(c.hold([item(2)]), true);
    assert.equal(c.hold([item(3)]), false);
    assert.equal(c.heldSize, 0, 'nothing kept once given up');
    assert.equal(c.hold([item(4)]), false);
    const r = c.release([item(1), item(2)]);
    assert.equal(r.overflowed, true);
    assert.deepEqual(ids(r.items), ids([item(1), item(2)]));
  });

  test('restart holds again after the last delivered id (an outage)', () => {
    const c = new CatchUp<Item>((x) => x.id, { max: 10, weigh: () => 1, onExceed: 'drop_oldest' });
    c.release([item(1), item(2)]);
    assert.deepEqual(
      ids(c.fresh([item(2), item(3)])),
      [item(3).id],
      'a duplicate live post is dropped',
    );
    c.restart();
    assert.equal(c.holding, true);
    c.hold([item(6), item(7)]);
    const r = c.release([item(4), item(5), item(6)]);
    assert.deepEqual(ids(r.items), ids([item(4), item(5), item(6), item(7)]));
    assert.equal(r.heldFrom, 3);
  });
});

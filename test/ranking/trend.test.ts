/**
 * Trending (PROTOCOL.md § 5, `trend`) on both engines with a controlled clock: a burst
 * makes a small movie trend, a steady high count does not, and both engines give the
 * same value from the same per-minute data.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RedisServer } from '../../harness/redis-servers.js';
import type { Engine } from '../../src/engine/engine.js';
import { MemoryEngine } from '../../src/engine/memory.js';
import { RedisEngine } from '../../src/engine/redis/engine.js';
import { trendOf } from '../../src/ranking/trend.js';
import { parseRedisTarget } from '../../src/store/redis/connection.js';

const MIN = 60_000;
let redis: RedisServer | undefined;
before(async () => {
  redis = await RedisServer.start();
});
after(async () => {
  await redis?.destroy();
});

let serial = 0;
function posts(movie: number, n: number, at: number) {
  return Array.from({ length: n }, () => {
    serial++;
    return {
      tweet: {
        id: `t${serial}`,
        text: 'x',
        user: { id: `a${serial}`, name: 'a' },
        created_at: new Date(at).toISOString(),
        source: 'synthetic' as const,
      },
      movieIds: [movie],
      at,
    };
  });
}

/** An hour of: movie 1 steady at 30/min; movie 2 at 1/min, then 20/min for the last 5 minutes. */
async function scenario(
  engine: Engine,
  clock: { t: number },
  start: number,
): Promise<Map<number, number>> {
  for (let m = 0; m < 60; m++) {
    clock.t = start + m * MIN + 1000;
    const burst = m >= 54 && m < 59;
    await engine.ingest([...posts(1, 30, clock.t), ...posts(2, burst ? 20 : 1, clock.t)]);
  }
  clock.t = start + 59 * MIN + 30_000; // in minute 59: minutes 54…58 are the recent five
  const activity = await engine.activity(clock.t);
  return new Map([...activity].map(([id, a]) => [id, trendOf(a)]));
}

test('a burst trends, a steady high count does not; memory and Redis agree', async () => {
  const start = (Math.floor(Date.now() / MIN) - 59) * MIN;
  const mc = { t: start };
  const memory = new MemoryEngine({ now: () => mc.t });
  const rc = { t: start };
  const red = await RedisEngine.connect(parseRedisTarget(redis!.url), {
    now: () => rc.t,
    deployment: `trend${process.pid}`,
  });
  try {
    const m = await scenario(memory, mc, start);
    const r = await scenario(red, rc, start);
    assert.deepEqual([...r].sort(), [...m].sort(), 'both engines, same trends');
    assert.equal(m.get(1), 1, 'steady 30/min: as usual');
    // recent 100 posts / 5 min = 20/min against a baseline of 1/min (floor 1): 20.
    assert.equal(m.get(2), 20, 'the burst trends at its multiple');
    const counts = await memory.counts(mc.t);
    assert.ok(counts.get(1)! > counts.get(2)!, 'the steady movie still leads by count');
  } finally {
    await memory.close();
    await red.close();
  }
});

test('trend rules: below 10 recent posts is 0; the current minute counts in neither window', () => {
  assert.equal(trendOf({ count: 9, recent: 9, current: 0 }), 0);
  assert.equal(trendOf({ count: 10, recent: 10, current: 0 }), 2);
  // 540 in the baseline (10/min over 54 min), 100 recent (20/min): 2.0, whatever the current minute holds.
  assert.equal(trendOf({ count: 640 + 500, recent: 100, current: 500 }), 2);
  assert.equal(trendOf({ count: 54 * 30 + 5 * 31, recent: 5 * 31, current: 0 }), 1);
});

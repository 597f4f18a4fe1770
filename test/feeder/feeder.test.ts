/**
 * The feeder's buffer while the engine is unreachable: bounded (oldest dropped and
 * counted), retried with back-off (no busy loop), flushed in order on recovery. The
 * engine here is the real in-process one behind a switch that makes `ingest` fail, as
 * a Redis outage does (the real outage is in test/redis/faults.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IngestPost } from '../../src/engine/engine.js';
import { MemoryEngine } from '../../src/engine/memory.js';
import { Feeder } from '../../src/feeder/feeder.js';
import type { Source } from '../../src/feeder/source.js';
import type { Tweet } from '../../src/protocol/index.js';

class OutageEngine extends MemoryEngine {
  down = false;
  calls = 0;
  override async ingest(posts: IngestPost[]) {
    this.calls++;
    if (this.down) throw new Error('store unreachable');
    return super.ingest(posts);
  }
}

const idle: Source = {
  name: 'test',
  start() {},
  async stop() {},
  stats: () => ({ posts: 0, malformed: 0, connects: 0 }),
};
const everyPost = { match: () => [1] };
const tweet = (i: number): Tweet => ({
  id: `p${i}`,
  text: `post ${i}`,
  user: { id: `u${i}`, name: 'U' },
  created_at: new Date().toISOString(),
  source: 'synthetic',
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('an outage: posts are held (bounded, oldest dropped), retried without spinning, flushed in order', async () => {
  const engine = new OutageEngine();
  const errors: unknown[] = [];
  const feeder = new Feeder(engine, everyPost, idle, {
    flushIntervalMs: 10,
    maxBuffered: 50,
    onError: (e) => errors.push(e),
  });
  feeder.start();
  try {
    engine.down = true;
    for (let i = 0; i < 80; i++) feeder.accept([tweet(i)]);
    await sleep(400);
    assert.equal(feeder.stats.buffered, 50, 'held up to the bound');
    assert.equal(feeder.stats.dropped, 30, 'the 30 oldest dropped and counted');
    // Back-off 100, 200, 400 ms…: a handful of attempts in 400 ms, not thousands.
    assert.ok(engine.calls <= 6, `${engine.calls} ingest attempts while down`);
    assert.equal(errors.length, 1, 'one report for the outage, not one per attempt');

    engine.down = false;
    const deadline = Date.now() + 5000;
    while (feeder.stats.buffered > 0 && Date.now() < deadline) await sleep(20);
    assert.equal(feeder.stats.accepted, 50);
    const kept = (await engine.history(1, { limit: 100 })).posts.map((p) => p.tweet.id);
    assert.deepEqual(
      kept,
      Array.from({ length: 50 }, (_, i) => `p${i + 30}`),
      'the newest 50, in order',
    );
  } finally {
    await feeder.stop();
  }
});

test('an idle feeder hands a post to the engine before the event loop turns (no added turn of latency)', async () => {
  const engine = new OutageEngine();
  const delivered: string[] = [];
  await engine.subscribe(1, (posts) => {
    for (const p of posts) delivered.push(p.tweet.id);
  });
  // A long interval: only the eager flush can deliver within this test.
  const feeder = new Feeder(engine, everyPost, idle, { flushIntervalMs: 60_000 });
  feeder.start();
  try {
    // What the endpoint's flush sees: it runs on setImmediate, so a post the feeder
    // handed over later than that would be written a whole turn later.
    const seenByNextTurn = new Promise<string[]>((resolve) =>
      setImmediate(() => resolve([...delivered])),
    );
    feeder.accept([tweet(1), tweet(2)]);
    assert.deepEqual(delivered, [], 'not inside accept itself: the source callback batches');
    assert.deepEqual(await seenByNextTurn, ['p1', 'p2']);
    assert.equal(engine.calls, 1, 'one batch');
  } finally {
    await feeder.stop();
  }
});

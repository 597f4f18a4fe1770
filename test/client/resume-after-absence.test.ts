/**
 * The SDK resumes several feeds after an absence and catches up (issue 15: clients
 * resuming from an old `since` were cut on every resume and never caught up). A
 * `reconnect` with a delay sends an SDK client from endpoint A to B (one engine); while
 * it waits, 499 posts about each of its three movies are published, ~700 KB owed on B,
 * well past the 256 KiB slow-consumer bound. It gets every one, no gap, no cut.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, type FeedLive, type Post } from '../../src/client/node.js';
import { MemoryEngine } from '../../src/engine/memory.js';
import { post, startEndpoint } from '../support/endpoint.js';

const MOVIES = [1, 2, 3];

test('three feeds resumed after an absence: every post once, no gap, not cut', async () => {
  const engine = new MemoryEngine();
  const a = await startEndpoint({ engine });
  const b = await startEndpoint({ engine });
  const client = createClient({ host: '127.0.0.1', port: a.port, ca: a.ca });
  try {
    const posts = new Map<number, Post[]>(MOVIES.map((m) => [m, []]));
    const lives: FeedLive[] = [];
    client.on('post', (p) => posts.get(p.movieId)!.push(p));
    client.on('live', (l) => lives.push(l));
    await client.connect();
    for (const m of MOVIES) client.follow(m);
    await engine.ingest([post(MOVIES, 'before')]);
    while (lives.length < 3 || [...posts.values()].some((l) => l.length < 1))
      await new Promise((r) => setTimeout(r, 10));
    const moved = client.once('state', (s) => s.to === 'connected');
    const session = a.endpoint.someSessions(1)[0]!;
    a.endpoint.redirect(session, {
      host: '127.0.0.1',
      port: b.port,
      tls: true,
      reason: 'overloaded',
      delay_ms: 1500,
    });
    const text = 'r'.repeat(250);
    for (let i = 0; i < 499; i += 50)
      await engine.ingest(
        Array.from({ length: Math.min(50, 499 - i) }, (_, k) => post(MOVIES, `${text} ${i + k}`)),
      );
    await moved;
    const deadline = Date.now() + 20_000;
    while (lives.length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(lives.length, 6, 'each feed went live again on B');
    for (const [movie, got] of posts) {
      assert.equal(got.length, 500, `movie ${movie}: every post once`);
      assert.ok(
        got.every((p) => !p.gap),
        `movie ${movie}: no gap`,
      );
      assert.equal(new Set(got.map((p) => p.postId)).size, 500);
    }
    assert.deepEqual(
      lives.slice(3).map((l) => l.backlog),
      [499, 499, 499],
    );
    assert.equal(b.endpoint.stats.errors.get('slow_consumer'), undefined, 'not cut on B');
    assert.equal(client.reconnects, 1, 'one move, no reconnect loop');
  } finally {
    await client.close();
    await a.close();
    await b.close();
  }
});

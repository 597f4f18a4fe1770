/**
 * Coalesced fan-out (PROTOCOL.md § Delivery latency): the endpoint core driven through
 * a recording Connection whose writes cost time on an injected clock, so "busy" is
 * exact. Behaviour, not speed: what is written when, and in how many writes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Connection } from '../../src/endpoint/connection.js';
import { Endpoint } from '../../src/endpoint/endpoint.js';
import type { Session } from '../../src/endpoint/session.js';
import { post, rankedEngine } from '../support/endpoint.js';

const turn = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A transport that records writes; each write advances the clock by `costMs`. */
class RecordingConnection implements Connection {
  readonly writes: string[] = [];
  readonly remoteAddress = '127.0.0.1';
  bufferedBytes = 0;
  constructor(private readonly clock: { t: number; costMs: number }) {}
  write(chunks: readonly Buffer[], written: () => void): void {
    this.writes.push(Buffer.concat(chunks).toString());
    this.clock.t += this.clock.costMs;
    setImmediate(written);
  }
  end(): void {}
  destroy(): void {}
  /** Complete lines written so far, as parsed messages. */
  lines(): { action: string; params: Record<string, unknown> }[] {
    const text = this.writes.join('');
    return text
      .slice(0, text.lastIndexOf('\n') + 1) // complete lines only (a split write may be midway)
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l));
  }
}

async function setup(
  n: number,
  options: { costMs: number; maxWindowMs?: number; thresholdMs?: number; afterPasses?: number },
) {
  const clock = { t: 0, costMs: options.costMs };
  const engine = await rankedEngine();
  const endpoint = new Endpoint(engine, {
    elapsed: () => clock.t,
    cpuMs: () => clock.t, // a write's cost is CPU spent, on the same fake clock
    flushWindowMaxMs: options.maxWindowMs ?? 100,
    flushWindowGain: 1,
    // The fake passes here cost tens of ms: all of it counts unless a test says otherwise.
    flushWindowThresholdMs: options.thresholdMs ?? 0,
    // The first dear pass opens the window unless a test says otherwise, so each test
    // sees it from its first post.
    flushWindowAfterPasses: options.afterPasses ?? 1,
  });
  await turn();
  const conns: RecordingConnection[] = [];
  const sessions: Session[] = [];
  for (let i = 0; i < n; i++) {
    const conn = new RecordingConnection(clock);
    const session = endpoint.accept(conn);
    sessions.push(session);
    session.receive(
      Buffer.from(
        '{"action":"connect","params":{}}\n{"action":"start_feed","params":{"movie_id":1}}\n',
      ),
    );
    conns.push(conn);
  }
  await sleep(20); // set_movies and the (empty) backlogs are out
  for (const c of conns) c.writes.length = 0;
  return { clock, engine, endpoint, conns, sessions, close: () => endpoint.close() };
}

const posts = (c: RecordingConnection) => c.lines().filter((m) => m.action === 'post_tweet').length;

describe('coalesced fan-out', () => {
  test('idle endpoint: a live post is written on the next turn, no added delay', async () => {
    const { engine, conns, close } = await setup(3, { costMs: 0 });
    try {
      await engine.ingest([post([1], 'hello')]);
      await turn();
      await turn();
      for (const c of conns) assert.equal(posts(c), 1, 'written without waiting for a timer');
    } finally {
      await close();
    }
  });

  test('busy endpoint: posts arriving within the window share one write per client', async () => {
    // 20 clients × 2 ms per write: a pass costs 40 ms on the clock, so the window is 40 ms.
    const { engine, endpoint, conns, close } = await setup(20, { costMs: 2 });
    try {
      await engine.ingest([post([1], 'first')]);
      for (let i = 0; i < 5 && conns.some((c) => posts(c) < 1); i++) await turn();
      for (const c of conns) assert.equal(c.writes.length, 1);
      assert.equal(endpoint.flushWindowMs, 40);
      // Five more posts, one per turn, all inside the window.
      for (let i = 0; i < 5; i++) {
        await engine.ingest([post([1], `burst ${i}`)]);
        await turn();
      }
      for (const c of conns) assert.equal(posts(c), 1, 'held for the window, not written per post');
      await sleep(80);
      for (const c of conns) {
        assert.equal(posts(c), 6, 'every post arrives');
        assert.equal(c.writes.length, 2, 'the five posts of the window in one write');
      }
    } finally {
      await close();
    }
  });

  test('a pass within the threshold opens no window: the next post is written at once', async () => {
    // The same 40 ms passes as above, under a 50 ms threshold: the endpoint keeps up.
    const { engine, endpoint, conns, close } = await setup(20, { costMs: 2, thresholdMs: 50 });
    try {
      await engine.ingest([post([1], 'first')]);
      for (let i = 0; i < 5 && conns.some((c) => posts(c) < 1); i++) await turn();
      assert.equal(endpoint.flushWindowMs, 0);
      await engine.ingest([post([1], 'second')]);
      for (let i = 0; i < 5 && conns.some((c) => posts(c) < 2); i++) await turn();
      for (const c of conns) {
        assert.equal(posts(c), 2, 'written within a few turns, no timer');
        assert.equal(c.writes.length, 2, 'one write per post');
      }
    } finally {
      await close();
    }
  });

  test('flushWindowAfterPasses 2: the window opens on the second dear pass in a row', async () => {
    const { engine, endpoint, conns, close } = await setup(20, { costMs: 2, afterPasses: 2 });
    try {
      await engine.ingest([post([1], 'first')]);
      for (let i = 0; i < 5 && conns.some((c) => posts(c) < 1); i++) await turn();
      assert.equal(endpoint.flushWindowMs, 0, 'one 40 ms pass opens no window');
      await engine.ingest([post([1], 'second')]);
      for (let i = 0; i < 5 && conns.some((c) => posts(c) < 2); i++) await turn();
      for (const c of conns) assert.equal(posts(c), 2, 'the second post is written at once');
      assert.equal(endpoint.flushWindowMs, 40, 'the second 40 ms pass in a row opens it');
      // What an operator reads on /metrics: two passes, the second followed by a window.
      assert.equal(endpoint.stats.flushPasses, 2);
      assert.equal(endpoint.stats.flushWindowsOpened, 1);
      await engine.ingest([post([1], 'third')]);
      await turn();
      for (const c of conns) assert.equal(posts(c), 2, 'the third waits for the window');
      await sleep(80);
      for (const c of conns) assert.equal(posts(c), 3);
    } finally {
      await close();
    }
  });

  test('a turn of flushing ends once it used flushTurnMs: expensive writes yield to the loop', async () => {
    // 64 clients × 2 ms per write on the clock: a turn stops once it has used 10 ms (5
    // writes), so the 64 writes take 13 turns, not one 128 ms block.
    const { engine, conns, close } = await setup(64, { costMs: 2, maxWindowMs: 0 });
    try {
      await engine.ingest([post([1], 'to all')]);
      const perTurn: number[] = [];
      let before = 0;
      for (let i = 0; i < 20 && conns.some((c) => posts(c) < 1); i++) {
        await turn();
        const now = conns.filter((c) => posts(c) === 1).length;
        if (now > before) perTurn.push(now - before);
        before = now;
      }
      assert.deepEqual(perTurn, [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4]);
    } finally {
      await close();
    }
  });

  test('a reply is not held behind the window: a ping is answered on the next turn', async () => {
    const { engine, conns, sessions, close } = await setup(20, { costMs: 2 });
    try {
      await engine.ingest([post([1], 'first')]);
      for (let i = 0; i < 5 && conns.some((c) => posts(c) < 1); i++) await turn();
      await engine.ingest([post([1], 'second')]); // waits for the 40 ms window
      await turn();
      assert.ok(
        conns.every((c) => posts(c) === 1),
        'the live post waits for the window',
      );
      sessions[7]!.receive(Buffer.from('{"action":"ping","params":{"ts":5}}\n'));
      await turn();
      const got = conns[7]!.lines();
      assert.equal(got.filter((m) => m.action === 'pong').length, 1, 'pong on the next turn');
      assert.equal(posts(conns[7]!), 2, 'what the client was owed rides along, in order');
      assert.equal(got.at(-1)?.action, 'pong');
      assert.equal(posts(conns[8]!), 1, 'the others still wait for the window');
    } finally {
      await close();
    }
  });

  test("a full record's worth queued is written without waiting for the window", async () => {
    const { engine, conns, close } = await setup(20, { costMs: 2 });
    try {
      await engine.ingest([post([1], 'first')]);
      for (let i = 0; i < 5 && conns.some((c) => posts(c) < 1); i++) await turn();
      const big = 'x'.repeat(2000);
      await engine.ingest(Array.from({ length: 10 }, (_, i) => post([1], `${big} ${i}`)));
      // A few turns (each ends after 10 ms of 2 ms writes), not the 40 ms window's timer:
      // turns take well under a millisecond of real time.
      for (let i = 0; i < 10 && conns.some((c) => posts(c) < 11); i++) await turn();
      for (const c of conns) assert.equal(posts(c), 11, '~20 KB owed: written at once');
    } finally {
      await close();
    }
  });

  test('one write in flight per connection: the rest waits and goes in one write', async () => {
    const { engine, conns, close } = await setup(1, { costMs: 0, maxWindowMs: 0 });
    try {
      const conn = conns[0]!;
      // Hold the completion of the next write, as a full kernel buffer would.
      let release: (() => void) | undefined;
      const original = conn.write.bind(conn);
      conn.write = (data, written) => {
        original(data, () => {});
        release = written;
      };
      await engine.ingest([post([1], 'a')]);
      await turn();
      assert.equal(conn.writes.length, 1);
      for (let i = 0; i < 3; i++) {
        await engine.ingest([post([1], `b${i}`)]);
        await turn();
      }
      assert.equal(conn.writes.length, 1, 'nothing written while the first is in flight');
      conn.write = original;
      release?.();
      await turn();
      await turn();
      assert.equal(conn.writes.length, 2);
      assert.equal(posts(conn), 4, 'the three waiting posts in one write');
    } finally {
      await close();
    }
  });

  test('a quiet connection gets writes of at most 1000 B; a busy one gets one write', async () => {
    const { clock, engine, conns, close } = await setup(1, { costMs: 0, maxWindowMs: 0 });
    try {
      const conn = conns[0]!;
      clock.t += 5000; // nothing written for 5 s
      await engine.ingest([post([1], 'q'.repeat(2500))]);
      for (let i = 0; i < 10 && posts(conn) < 1; i++) await turn();
      const sizes = conn.writes.map((w) => Buffer.byteLength(w));
      assert.ok(sizes.length >= 3, `split: ${sizes}`);
      assert.ok(
        sizes.every((n) => n <= 1000),
        `each write fits one small TLS record: ${sizes}`,
      );
      assert.equal(posts(conn), 1, 'the same bytes, reassembled');
      conn.writes.length = 0;
      await engine.ingest([post([1], 'b'.repeat(2500))]); // within a second: busy
      for (let i = 0; i < 10 && posts(conn) < 1; i++) await turn();
      assert.equal(conn.writes.length, 1, 'a busy connection: one write');
    } finally {
      await close();
    }
  });
});

/** Each limit: breached, it yields its error code; the endpoint's memory stays bounded. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HistoryQuery, HistoryResult } from '../../src/engine/engine.js';
import { MemoryEngine } from '../../src/engine/memory.js';
import { type ProtocolClient, post, startEndpointOn, TRANSPORTS } from '../support/endpoint.js';
import { FakeClock } from '../support/fake-clock.js';

/** A ping answered: the server has read everything sent before it. */
async function roundTrip(c: ProtocolClient): Promise<void> {
  c.send('ping', { ts: 42 });
  await c.nextOf('pong');
}

/** An in-process engine whose history reads hang until released (a stuck store). */
class StuckHistoryEngine extends MemoryEngine {
  release: () => void = () => {};
  override history(movieId: number, query: HistoryQuery): Promise<HistoryResult> {
    return new Promise((resolve) => {
      this.release = () => resolve(super.history(movieId, query));
    });
  }
}

for (const transport of TRANSPORTS)
  describe(`limits over ${transport}`, () => {
    // Deadlines run on a fake clock: the sweep fires when the test advances time, so
    // these tests neither sleep nor depend on how loaded the machine is.
    test('a client that never sends connect is closed with handshake_timeout', async () => {
      const clock = new FakeClock(1_000_000);
      const ep = await startEndpointOn(transport, {
        clock,
        handshakeTimeoutMs: 200,
        sweepIntervalMs: 50,
      });
      try {
        const c = await ep.client({ connect: false });
        await roundTrip(c); // the session exists
        clock.advance(200);
        assert.ok(await c.silentFor(30), 'not before the deadline');
        clock.advance(50);
        const err = await c.nextOf('error', 3000);
        assert.equal(err.params.code, 'handshake_timeout');
        await c.closed;
      } finally {
        await ep.close();
      }
    });

    test('slowloris: a byte at a time without a full connect still times out', async () => {
      const clock = new FakeClock(1_000_000);
      const ep = await startEndpointOn(transport, {
        clock,
        handshakeTimeoutMs: 300,
        sweepIntervalMs: 50,
      });
      try {
        const c = await ep.client({ connect: false });
        await roundTrip(c);
        for (let i = 0; i < 7; i++) {
          c.sendRaw('{');
          await new Promise((r) => setTimeout(r, 5));
          clock.advance(50);
        }
        const err = await c.nextOf('error', 3000);
        assert.equal(err.params.code, 'handshake_timeout');
      } finally {
        await ep.close();
      }
    });

    test('a silent connected client is closed with idle_timeout; a pinging one is kept', async () => {
      const clock = new FakeClock(1_000_000);
      const ep = await startEndpointOn(transport, {
        clock,
        idleTimeoutMs: 300,
        sweepIntervalMs: 50,
      });
      try {
        const silent = await ep.client();
        const pinger = await ep.client();
        for (let i = 0; i < 3; i++) {
          clock.advance(100);
          pinger.send('ping', { ts: i });
          assert.equal((await pinger.nextOf('pong')).params.ts, i);
        }
        clock.advance(50); // 350 ms without a byte from `silent`; 50 since the last ping
        const err = await silent.nextOf('error', 3000);
        assert.equal(err.params.code, 'idle_timeout');
        await silent.closed;
        pinger.send('ping', { ts: 9 });
        assert.equal((await pinger.nextOf('pong')).params.ts, 9, 'the pinging one is kept');
      } finally {
        await ep.close();
      }
    });

    test('silence is checked every tenth of the idle timeout, connect deadlines every tick', async () => {
      const clock = new FakeClock(1_000_000);
      // Ticks of 50 ms; the idle timeout's tenth (200 ms) is coarser than a tick.
      const ep = await startEndpointOn(transport, {
        clock,
        handshakeTimeoutMs: 120,
        idleTimeoutMs: 2000,
        sweepIntervalMs: 50,
      });
      try {
        const silent = await ep.client();
        const mute = await ep.client({ connect: false });
        await roundTrip(mute);
        const tick = async () => {
          clock.advance(50);
          await new Promise((r) => setImmediate(r));
        };
        for (let t = 0; t < 3; t++) await tick(); // 150 ms: past the connect deadline
        assert.equal((await mute.nextOf('error', 3000)).params.code, 'handshake_timeout');
        let waited = 150; // ms since `silent` last sent a byte (its connect)
        for (; waited < 2000; waited += 50) await tick();
        assert.ok(await silent.silentFor(30), 'not before the idle timeout');
        for (; waited < 2200; waited += 50) await tick(); // 1.1 × the timeout
        const err = await silent.nextOf('error', 3000);
        assert.equal(err.params.code, 'idle_timeout');
        await silent.closed;
      } finally {
        await ep.close();
      }
    });

    test('rate_limited: messages past the burst are dropped with one error', async () => {
      const ep = await startEndpointOn(transport, { messagesPerSecond: 5, messageBurst: 5 });
      try {
        const c = await ep.client();
        for (let i = 0; i < 20; i++) c.send('ping', { ts: i });
        const got = [];
        for (;;) {
          const m = await c.next(300).catch(() => null);
          if (m === null) break;
          got.push(m);
        }
        const pongs = got.filter((m) => m.action === 'pong');
        const errors = got.filter((m) => m.action === 'error');
        // connect took one token of the burst of 5.
        assert.equal(pongs.length, 4);
        assert.equal(errors.length, 1);
        assert.equal(errors[0]?.params.code, 'rate_limited');
      } finally {
        await ep.close();
      }
    });

    test('server_full and too_many_connections refuse with their codes', async () => {
      const full = await startEndpointOn(transport, { maxConnections: 1 });
      const perIp = await startEndpointOn(transport, { maxConnectionsPerIp: 1 });
      try {
        await full.client();
        const refused = await full.client({ connect: false });
        assert.equal((await refused.nextOf('error')).params.code, 'server_full');
        await refused.closed;
        await perIp.client();
        const refused2 = await perIp.client({ connect: false });
        assert.equal((await refused2.nextOf('error')).params.code, 'too_many_connections');
      } finally {
        await full.close();
        await perIp.close();
      }
    });

    test('live posts held while a backlog read hangs are bounded too', async () => {
      const engine = new StuckHistoryEngine();
      const ep = await startEndpointOn(transport, { engine, maxOutgoingBytes: 32 * 1024 });
      try {
        const c = await ep.client();
        c.send('start_feed', { movie_id: 1 });
        await new Promise((r) => setTimeout(r, 50)); // the history read is pending now
        const text = 'y'.repeat(900);
        for (let i = 0; i < 10; i++)
          await engine.ingest(Array.from({ length: 10 }, () => post([1], text)));
        await c.closed; // ~90 KB held > 32 KiB: cut off as a slow consumer
        assert.equal(ep.endpoint.stats.errors.get('slow_consumer'), 1);
        assert.equal(ep.endpoint.connectionCount, 0);
        engine.release();
      } finally {
        await ep.close();
      }
    });

    test('a client that stops reading is cut off at the buffer bound; others keep up', async () => {
      const maxOutgoingBytes = 128 * 1024;
      const ep = await startEndpointOn(transport, { maxOutgoingBytes });
      try {
        const slow = await ep.client();
        const fast = await ep.client();
        slow.send('start_feed', { movie_id: 2 });
        fast.send('start_feed', { movie_id: 2 });
        slow.send('ping');
        fast.send('ping');
        await slow.nextOf('pong');
        await fast.nextOf('pong');
        slow.pause(); // stops reading: the kernel buffers fill, then ours
        const text = 'x'.repeat(900);
        // ~18 MB owed to each client: past what loopback kernel buffers absorb (several MB).
        const total = 20000;
        let received = 0;
        const counting = (async () => {
          while (received < total) {
            await fast.nextOf('post_tweet', 5000);
            received++;
          }
        })();
        // Batches of 20 (~19 KB) fit the bound; a reading client never passes it.
        for (let i = 0; i < total; i += 20) {
          await ep.engine.ingest(Array.from({ length: 20 }, () => post([2], text)));
          await new Promise((r) => setImmediate(r));
        }
        await counting;
        assert.equal(received, total, 'the fast client got every post');
        assert.equal(ep.endpoint.stats.errors.get('slow_consumer'), 1);
        slow.resume(); // a paused socket never sees its end
        await slow.closed;
        assert.equal(ep.endpoint.connectionCount, 1);
      } finally {
        await ep.close();
      }
    });
  });

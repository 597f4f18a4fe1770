/**
 * Reconnect delays on an injected clock and random source, over a fake transport:
 * they grow, are jittered, are capped, and reset after a stable connection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, type StreamHandlers, type Transport } from '../../src/client/node.js';
import { FakeClock } from '../support/fake-clock.js';

const CONNECT_TIMEOUT = 999_999;
const flush = () => new Promise((r) => setImmediate(r));

/** Refuses every connection until `accept` is set; then hands out scripted streams. */
function fakeTransport() {
  const state = { accept: false, opened: 0, handlers: null as StreamHandlers | null };
  const transport: Transport = {
    async connect(_target, handlers) {
      state.opened++;
      if (!state.accept) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      state.handlers = handlers;
      return {
        label: 'fake',
        bufferedBytes: 0,
        write(data: string) {
          // Answer connect like a server would.
          if (data.includes('"connect"'))
            queueMicrotask(() =>
              handlers.data(
                Buffer.from('{"action":"set_movies","params":{"movies":[],"generated_at":1}}\n'),
              ),
            );
        },
        end: () => queueMicrotask(() => handlers.close()),
        destroy: () => queueMicrotask(() => handlers.close()),
      };
    },
  };
  return { transport, state };
}

/** Runs `n` failed attempts; returns the back-off delays the client waited. */
async function delays(clock: FakeClock, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await flush();
    const before = clock.delays.length;
    await flush();
    const asked = clock.delays.slice(before - 1).filter((d) => d !== CONNECT_TIMEOUT);
    const d = asked.at(-1);
    assert.ok(d !== undefined, 'a retry was scheduled');
    out.push(d);
    clock.advance(d);
  }
  return out;
}

test('delays grow ×2 from the base, are capped, and use full jitter', async () => {
  const clock = new FakeClock(1_000_000);
  const { transport } = fakeTransport();
  const client = createClient({
    transport,
    clock,
    random: () => 0.999,
    connectTimeoutMs: CONNECT_TIMEOUT,
    pingIntervalMs: CONNECT_TIMEOUT,
    backoff: { baseMs: 100, capMs: 2000 },
  });
  void client.connect().catch(() => {});
  const got = await delays(clock, 7);
  // floor(0.999 × min(2000, 100 × 2^n))
  assert.deepEqual(got, [99, 199, 399, 799, 1598, 1998, 1998]);
  await client.close();
});

test('each delay is a uniform draw in [0, window): jitter follows the random source', async () => {
  const clock = new FakeClock(0);
  const { transport } = fakeTransport();
  const draws = [0.5, 0.1, 0.9, 0.0, 0.75];
  let i = 0;
  const client = createClient({
    transport,
    clock,
    random: () => draws[i++ % draws.length]!,
    connectTimeoutMs: CONNECT_TIMEOUT,
    pingIntervalMs: CONNECT_TIMEOUT,
    backoff: { baseMs: 1000, capMs: 8000 },
  });
  void client.connect().catch(() => {});
  const got = await delays(clock, 5);
  // The picker also draws (one per attempt), so the back-off gets every other draw.
  const windows = [1000, 2000, 4000, 8000, 8000];
  for (const [n, d] of got.entries()) assert.ok(d >= 0 && d < windows[n]!, `${d} < ${windows[n]}`);
  assert.ok(new Set(got.map((d, n) => d / windows[n]!)).size > 1, 'not a fixed fraction');
  await client.close();
});

test('a connection that stayed up for stableAfterMs resets the back-off', async () => {
  const clock = new FakeClock(0);
  const { transport, state } = fakeTransport();
  const client = createClient({
    transport,
    clock,
    random: () => 0.999,
    connectTimeoutMs: CONNECT_TIMEOUT,
    pingIntervalMs: CONNECT_TIMEOUT,
    stableAfterMs: 5000,
    backoff: { baseMs: 100, capMs: 100_000 },
  });
  void client.connect().catch(() => {});
  assert.deepEqual(await delays(clock, 3), [99, 199, 399]);
  state.accept = true;
  await flush();
  clock.advance(800); // the pending retry (≤ 799 ms) now succeeds
  await flush();
  await flush();
  assert.equal(client.state, 'connected');
  clock.advance(6000); // stable
  state.accept = false;
  state.handlers?.close(new Error('reset'));
  assert.equal(client.state, 'reconnecting');
  assert.deepEqual(await delays(clock, 2), [99, 199], 'starts small again');
  await client.close();
  assert.equal(client.state, 'closed');
});

test('each scheduled attempt is announced with its delay (retrying), the one the clock was asked for', async () => {
  const clock = new FakeClock(0);
  const { transport } = fakeTransport();
  const client = createClient({
    transport,
    clock,
    random: () => 0.999,
    connectTimeoutMs: CONNECT_TIMEOUT,
    pingIntervalMs: CONNECT_TIMEOUT,
    backoff: { baseMs: 100, capMs: 2000 },
  });
  const announced: { delayMs: number; redirected: boolean }[] = [];
  client.on('retrying', (r) => announced.push(r));
  void client.connect().catch(() => {});
  const waited = await delays(clock, 3);
  assert.deepEqual(
    announced.slice(0, 3),
    waited.map((delayMs) => ({ delayMs, redirected: false })),
  );
  await client.close();
});

/** Load shedding and draining over real TLS: redirects go to peers with room, spread over time. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LineClient } from '../../harness/line-client.js';
import { Balancer } from '../../src/endpoint/balancer.js';
import { MemoryEngine } from '../../src/engine/memory.js';
import type { EndpointAddress } from '../../src/protocol/index.js';
import { post, startEndpoint, type TestEndpoint } from '../support/endpoint.js';
import { FakeClock } from '../support/fake-clock.js';

const calm = () => ({ eventLoopDelayMs: 1, rssBytes: 0 });

describe('balancer', () => {
  const engine = new MemoryEngine();
  let a: TestEndpoint;
  let b: TestEndpoint;
  let peerB: EndpointAddress;
  before(async () => {
    a = await startEndpoint({ engine });
    b = await startEndpoint({ engine });
    peerB = { host: '127.0.0.1', port: b.port, tls: true };
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  async function connectMany(ep: TestEndpoint, n: number): Promise<LineClient[]> {
    return Promise.all(Array.from({ length: n }, () => ep.client()));
  }

  test('over capacity: redirects the excess to a peer, spread by delay_ms, and stops there', async () => {
    const clients = await connectMany(a, 8);
    const balancer = new Balancer(a.endpoint, { choose: () => peerB }, calm, {
      capacity: 5,
      spreadMs: 1000,
    });
    try {
      assert.equal(balancer.tick(), 3);
      assert.equal(balancer.tick(), 0, 'under capacity now');
      const redirects = [];
      for (const c of clients) {
        const m = await c.next(500).catch(() => null);
        if (m?.action === 'reconnect') redirects.push(m);
      }
      assert.equal(redirects.length, 3);
      for (const r of redirects) {
        assert.equal(r.params.host, '127.0.0.1');
        assert.equal(r.params.port, b.port);
        assert.equal(r.params.tls, true);
        assert.equal(r.params.reason, 'overloaded');
        const delay = r.params.delay_ms as number;
        assert.ok(delay >= 0 && delay < 1000);
      }
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(a.endpoint.connectionCount, 5);
      assert.equal(a.endpoint.stats.redirects, 3);
    } finally {
      balancer.stop();
      for (const c of clients) c.close();
    }
  });

  test('a new connection past capacity is redirected before anything else', async () => {
    const balancer = new Balancer(a.endpoint, { choose: () => peerB }, calm, { capacity: 1 });
    const first = await a.client();
    try {
      const second = await a.client({ connect: false });
      const m = await second.next();
      assert.equal(m?.action, 'reconnect');
      assert.equal(m?.params.port, b.port);
      await second.closed;
    } finally {
      balancer.stop();
      first.close();
    }
  });

  test('with no peer that has room, nobody is redirected', async () => {
    const clients = await connectMany(a, 3);
    const balancer = new Balancer(a.endpoint, { choose: () => undefined }, calm, { capacity: 1 });
    try {
      assert.equal(balancer.tick(), 0);
      assert.ok(await clients[0]!.silentFor(150));
    } finally {
      balancer.stop();
      for (const c of clients) c.close();
    }
  });

  test('event-loop overload sheds a share of clients even under capacity', async () => {
    const clients = await connectMany(a, 10);
    const balancer = new Balancer(
      a.endpoint,
      { choose: () => peerB },
      () => ({ eventLoopDelayMs: 500, rssBytes: 0 }),
      {
        capacity: 100,
        overloadShedShare: 0.2,
      },
    );
    try {
      assert.equal(balancer.tick(), 2);
    } finally {
      balancer.stop();
      for (const c of clients) c.close();
    }
  });

  test('draining moves every client over the window, not at once, then resolves', async () => {
    const clients = await connectMany(a, 12);
    // A fake clock: the ticks run when the test advances time, not when a loaded
    // machine gets round to them.
    const clock = new FakeClock(1_000_000);
    const balancer = new Balancer(a.endpoint, { choose: () => peerB }, calm, { tickMs: 50, clock });
    let resolved = false;
    const done = balancer.drain(400).then(() => {
      resolved = true;
    });
    const left = [a.endpoint.connectionCount];
    for (let t = 0; t < 400; t += 50) {
      clock.advance(50);
      await new Promise((r) => setImmediate(r)); // closes and the promise settle
      left.push(a.endpoint.connectionCount);
    }
    assert.ok(left[0]! > 0 && left[0]! < 12, `some, not all, in the first tick: ${left}`);
    for (let i = 1; i < left.length; i++) assert.ok(left[i]! <= left[i - 1]!, `${left}`);
    const ticksUsed = left.findIndex((n) => n === 0);
    assert.ok(ticksUsed >= 5, `spread over the window, not at once: ${left}`);
    await done;
    assert.ok(resolved);
    balancer.stop();
    for (const c of clients) {
      const m = await c.nextOf('reconnect', 1000);
      assert.equal(m.params.reason, 'draining');
    }
    assert.equal(a.endpoint.connectionCount, 0);
  });

  test('stop() during a drain resolves drain() with the remaining clients kept', async () => {
    const clients = await connectMany(a, 4);
    const clock = new FakeClock(0);
    const balancer = new Balancer(a.endpoint, { choose: () => peerB }, calm, {
      tickMs: 1000,
      clock,
    });
    try {
      const done = balancer.drain(60_000); // 60 ticks: one client per tick at most
      balancer.stop();
      await done; // hangs (and the test times out) if stop() leaves it pending
      assert.equal(clock.pending(), 0, 'no tick left scheduled');
      assert.ok(a.endpoint.connectionCount > 0, 'the rest stay connected');
    } finally {
      for (const c of clients) c.close();
    }
  });

  test('a redirected client resumes on the peer with since and loses nothing', async () => {
    const c = await a.client();
    c.send('start_feed', { movie_id: 1 });
    await engine.ingest([post([1], 'before')]);
    let last = await c.nextOf('post_tweet');
    while ((last.params.tweet as { text: string }).text !== 'before')
      last = await c.nextOf('post_tweet');
    const balancer = new Balancer(a.endpoint, { choose: () => peerB }, calm, { capacity: 0 });
    const drained = balancer.drain(100);
    const r = await c.nextOf('reconnect');
    // Published while the client moves.
    await engine.ingest([post([1], 'during 1'), post([1], 'during 2')]);
    const moved = await b.client();
    assert.equal(r.params.port, b.port);
    moved.send('start_feed', { movie_id: 1, since: last.params.post_id });
    const texts = [await moved.nextOf('post_tweet'), await moved.nextOf('post_tweet')].map(
      (m) => (m.params.tweet as { text: string }).text,
    );
    assert.deepEqual(texts, ['during 1', 'during 2']);
    // The resume ends with its marker: two posts came from history.
    assert.deepEqual((await moved.next())?.params, { movie_id: 1, backlog: 2 });
    assert.ok(await moved.silentFor(100));
    await drained;
    balancer.stop();
  });
});

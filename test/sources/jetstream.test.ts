import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSource } from '../../src/feeder/sources/index.js';
import { JetstreamSource } from '../../src/feeder/sources/jetstream.js';
import { parseJetstreamLine } from '../../src/feeder/sources/jetstream-format.js';
import type { Tweet } from '../../src/protocol/index.js';
import { RecordingClock } from '../support/fake-clock.js';
import {
  type FakeEvent,
  identityEvent,
  likeEvent,
  postEvent,
  startFakeJetstream,
} from './fake-jetstream.js';

const T0 = 1_725_911_162_000_000;
const HOUR = 3_600_000;

function posts(n: number, from = 0): FakeEvent[] {
  return Array.from({ length: n }, (_, i) =>
    postEvent(
      'did:plc:abc',
      T0 + (from + i) * 1000,
      `3l3qo2vuow${String(from + i).padStart(3, '0')}`,
      `post ${from + i}`,
    ),
  );
}

/** Collects emitted posts; resolves when `n` have arrived. */
function collector() {
  const got: Tweet[] = [];
  let waiters: Array<{ n: number; resolve: () => void }> = [];
  return {
    got,
    emit: (batch: Tweet[]) => {
      got.push(...batch);
      waiters = waiters.filter((w) => {
        if (got.length >= w.n) w.resolve();
        return got.length < w.n;
      });
    },
    until: (n: number) =>
      new Promise<void>((resolve) => {
        if (got.length >= n) resolve();
        else waiters.push({ n, resolve });
      }),
  };
}

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('normalizes documented post events; skips likes, identity and account events', async () => {
  const events = [
    identityEvent(T0 - 10),
    likeEvent(T0 - 5),
    postEvent(
      'did:plc:ufbl4k27gp6kzas5glhz7fim',
      T0,
      '3l3qo2vuowo2b',
      'just saw Dune: Part Two 🍿',
      {
        createdAt: '2024-09-09T19:46:02.102Z',
        langs: ['en', 'pt'],
      },
    ),
  ];
  const server = await startFakeJetstream({ events });
  const src = new JetstreamSource({ kind: 'jetstream', url: server.url, idleTimeoutMs: HOUR });
  const c = collector();
  src.start(c.emit);
  await c.until(1);
  await waitFor(() => src.stats().cursor === T0);
  assert.deepEqual(c.got, [
    {
      id: 'at://did:plc:ufbl4k27gp6kzas5glhz7fim/app.bsky.feed.post/3l3qo2vuowo2b',
      text: 'just saw Dune: Part Two 🍿',
      user: { id: 'did:plc:ufbl4k27gp6kzas5glhz7fim', name: 'did:plc:ufbl4k27gp6kzas5glhz7fim' },
      created_at: '2024-09-09T19:46:02.102Z',
      url: 'https://bsky.app/profile/did:plc:ufbl4k27gp6kzas5glhz7fim/post/3l3qo2vuowo2b',
      source: 'bluesky',
      lang: 'en',
    },
  ]);
  assert.equal(server.requests[0]?.get('wantedCollections'), 'app.bsky.feed.post');
  assert.equal(server.requests[0]?.get('cursor'), null);
  // Live tail keeps flowing on the same connection.
  server.push(posts(1, 1)[0]!);
  await c.until(2);
  assert.equal(src.stats().connects, 1);
  await src.stop();
  await server.close();
});

test('dropped connection mid-stream resumes from the cursor: no gap, no duplicate', async () => {
  const events = posts(50);
  // Two events share the boundary microsecond: both must arrive exactly once.
  events.splice(20, 0, postEvent('did:plc:other', T0 + 19 * 1000, 'samemicro', 'same µs'));
  const server = await startFakeJetstream({ events, dropAfter: { 0: 21, 1: 10 } });
  const clock = new RecordingClock(1, HOUR);
  const src = new JetstreamSource({
    kind: 'jetstream',
    url: server.url,
    clock,
    idleTimeoutMs: HOUR,
    random: () => 0.5,
  });
  const c = collector();
  src.start(c.emit);
  await c.until(events.length);
  await new Promise((r) => setTimeout(r, 30));
  const ids = c.got.map((t) => t.id);
  assert.equal(ids.length, events.length, 'no duplicate');
  assert.equal(new Set(ids).size, events.length);
  assert.deepEqual(
    ids.slice(0, 3),
    [0, 1, 2].map((i) => `at://did:plc:abc/app.bsky.feed.post/3l3qo2vuow00${i}`),
  );
  assert.equal(server.requests.length, 3);
  assert.equal(server.requests[1]?.get('cursor'), String(T0 + 19 * 1000));
  const st = src.stats();
  assert.ok(st.duplicates >= 2, `boundary events re-sent and dropped: ${st.duplicates}`);
  assert.equal(st.connects, 3);
  // Each connection proved healthy before dropping, so back-off restarted from the base.
  assert.deepEqual(clock.delays, [500, 500]);
  await src.stop();
  await server.close();
});

test('refused connections back off with capped full jitter, reset after success', async () => {
  const server = await startFakeJetstream({ events: posts(3), refuse: 4, refuseStatus: 503 });
  const clock = new RecordingClock(1, HOUR);
  const src = createSource({
    kind: 'jetstream',
    url: server.url,
    clock,
    random: () => 0.5,
    backoffBaseMs: 1000,
    backoffCapMs: 5000,
    idleTimeoutMs: HOUR,
  });
  const c = collector();
  src.start(c.emit);
  await c.until(3);
  // Windows 1s, 2s, 4s, 5s (capped); full jitter with random()=0.5 takes half.
  assert.deepEqual(clock.delays, [500, 1000, 2000, 2500]);
  assert.equal(server.attempts, 5);
  await src.stop();
  await server.close();
});

test('malformed frames are skipped and counted, never fatal', async () => {
  const events: FakeEvent[] = [
    { timeUs: T0, frame: 'not json{' },
    { timeUs: T0, frame: '[1,2,3]' },
    { timeUs: T0, frame: '{"did":"did:plc:x","kind":"commit"}' },
    {
      timeUs: T0,
      frame: `{"did":"did:plc:x","time_us":${T0},"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","rkey":"a","record":{"text":42}}}`,
    },
    { timeUs: T0, frame: `{"did":"did:plc:x","time_us":${T0},"kind":"mystery"}` },
    ...posts(2, 1),
  ];
  const server = await startFakeJetstream({ events });
  const src = createSource({ kind: 'jetstream', url: server.url, idleTimeoutMs: HOUR });
  const c = collector();
  src.start(c.emit);
  await c.until(2);
  assert.equal(src.stats().malformed, 5);
  assert.equal(src.stats().posts, 2);
  await src.stop();
  await server.close();
});

test('a silent connection is presumed dead and replaced', async () => {
  const server = await startFakeJetstream({ events: posts(1) });
  const src = createSource({
    kind: 'jetstream',
    url: server.url,
    idleTimeoutMs: 50,
    backoffBaseMs: 1,
    random: () => 0,
  });
  const c = collector();
  src.start(c.emit);
  await waitFor(() => server.requests.length >= 2);
  assert.equal(server.requests[1]?.get('cursor'), String(T0));
  await src.stop();
  await server.close();
  assert.equal(c.got.length, 1, 'the replayed boundary post is not emitted twice');
});

test('createdAt far from time_us falls back to the relay time', () => {
  const ev = postEvent('did:plc:x', T0, 'k', 'hi', { createdAt: '2001-01-01T00:00:00.000Z' });
  const r = parseJetstreamLine(ev.frame);
  assert.equal(r.type, 'post');
  if (r.type === 'post') assert.equal(r.post.created_at, new Date(T0 / 1000).toISOString());
});

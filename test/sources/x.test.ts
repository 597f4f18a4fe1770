import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSource } from '../../src/feeder/sources/index.js';
import { XSource } from '../../src/feeder/sources/x.js';
import { xReconnectDelay } from '../../src/feeder/sources/x-backoff.js';
import type { XTweet } from '../../src/feeder/sources/x-format.js';
import { deriveRules, movieIdsOfTag } from '../../src/feeder/sources/x-rules.js';
import type { Catalog } from '../../src/matching/catalog.js';
import type { Tweet } from '../../src/protocol/index.js';
import { RecordingClock } from '../support/fake-clock.js';
import { startFakeX, xLine } from './fake-x.js';

const TOKEN = 'AAAA-test-token';
const HOUR = 3_600_000;
const catalog: Catalog = {
  movies: [
    { id: 1, title: 'Dune: Part Two', year: 2024, aliases: ['Dune 2'], hashtags: ['DunePartTwo'] },
    { id: 2, title: 'Inside Out 2', year: 2024 },
    { id: 3, title: 'Weapons', year: 2025 },
  ],
};

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function sink() {
  const got: XTweet[] = [];
  return { got, emit: (b: Tweet[]) => got.push(...(b as XTweet[])) };
}

test('stream: posts normalized with matching_rules; keep-alives, split chunks, malformed lines', async () => {
  const line2 = JSON.stringify(xLine('1002', 'Inside Out 2 made me cry'));
  const server = await startFakeX({
    token: TOKEN,
    scripts: [
      [
        { heartbeat: true },
        { line: xLine('1001', 'just saw #DunePartTwo') },
        { raw: line2.slice(0, 30) },
        { wait: 5 },
        { raw: `${line2.slice(30)}\r\n` },
        { heartbeat: true },
        { line: 'not json at all' },
        { line: { data: { text: 'no id' } } },
        { line: { errors: [{ title: 'Invalid Request', detail: 'something minor' }] } },
        {
          line: { ...xLine('1003', 'und lang'), data: { ...xLine('1003', 'x').data, lang: 'und' } },
        },
        { hang: true },
      ],
    ],
  });
  const src = createSource({
    kind: 'x',
    catalog,
    bearerToken: TOKEN,
    baseUrl: server.baseUrl,
    manageRules: false,
    stallTimeoutMs: HOUR,
  });
  const s = sink();
  src.start(s.emit);
  await waitFor(() => s.got.length === 3);
  assert.deepEqual(s.got[0], {
    id: '1001',
    text: 'just saw #DunePartTwo',
    user: { id: '2244994945', name: 'Developers', handle: 'XDevelopers' },
    created_at: '2024-09-09T19:46:02.000Z',
    url: 'https://x.com/XDevelopers/status/1001',
    source: 'x',
    matching_rules: [{ id: '1166916266197536768', tag: 'filmgrain:1' }],
    lang: 'en',
  });
  assert.equal(s.got[1]?.text, 'Inside Out 2 made me cry');
  assert.equal(s.got[2]?.lang, undefined);
  const st = (src as XSource).stats();
  assert.equal(st.heartbeats, 2);
  assert.equal(st.malformed, 2);
  assert.equal(st.lastError?.code, 'stream_error');
  const q = server.streamRequests[0]!.searchParams;
  assert.equal(q.get('tweet.fields'), 'created_at,lang,author_id');
  assert.equal(q.get('expansions'), 'author_id');
  assert.equal(q.get('user.fields'), 'username,name');
  await src.stop();
  await server.close();
});

test('dropped mid-stream: reconnect at once with backfill, redelivered posts dropped', async () => {
  const server = await startFakeX({
    token: TOKEN,
    scripts: [
      [{ line: xLine('1', 'a') }, { line: xLine('2', 'b') }, { drop: true }],
      [{ line: xLine('2', 'b') }, { line: xLine('3', 'c') }, { hang: true }],
    ],
  });
  const clock = new RecordingClock(1, HOUR);
  const src = new XSource({
    kind: 'x',
    catalog,
    bearerToken: TOKEN,
    baseUrl: server.baseUrl,
    manageRules: false,
    clock,
    stallTimeoutMs: HOUR,
    backfillMinutes: 1,
  });
  const s = sink();
  src.start(s.emit);
  await waitFor(() => s.got.length === 3);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(
    s.got.map((t) => t.id),
    ['1', '2', '3'],
  );
  assert.equal(src.stats().duplicates, 1);
  assert.deepEqual(
    clock.delays,
    [0],
    'an established connection that drops reconnects immediately',
  );
  assert.equal(server.streamRequests[0]!.searchParams.get('backfill_minutes'), null);
  assert.equal(server.streamRequests[1]!.searchParams.get('backfill_minutes'), '1');
  await src.stop();
  await server.close();
});

test('documented back-off: HTTP exponential from 5 s, 429 from 1 min, network linear 250 ms', async () => {
  const server = await startFakeX({
    token: TOKEN,
    scripts: [
      { status: 503 },
      { status: 503 },
      { status: 429 },
      { status: 429 },
      { reset: true },
      { reset: true },
      [{ line: xLine('9', 'ok') }],
      { status: 503 },
    ],
  });
  const clock = new RecordingClock(1, HOUR);
  const src = new XSource({
    kind: 'x',
    catalog,
    bearerToken: TOKEN,
    baseUrl: server.baseUrl,
    manageRules: false,
    clock,
    stallTimeoutMs: HOUR,
    random: () => 0,
  });
  const s = sink();
  src.start(s.emit);
  await waitFor(() => clock.delays.length >= 8);
  await src.stop();
  assert.deepEqual(clock.delays.slice(0, 8), [5_000, 10_000, 60_000, 120_000, 250, 500, 0, 5_000]);
  assert.equal(s.got.length, 1);
  await server.close();
});

test('jitter only ever lengthens the documented wait', async () => {
  const server = await startFakeX({ token: TOKEN, scripts: [{ status: 503 }, { status: 503 }] });
  const clock = new RecordingClock(1, HOUR);
  const src = new XSource({
    kind: 'x',
    catalog,
    bearerToken: TOKEN,
    baseUrl: server.baseUrl,
    manageRules: false,
    clock,
    stallTimeoutMs: HOUR,
    random: () => 0.999,
  });
  src.start(() => {});
  await waitFor(() => clock.delays.length >= 2);
  await src.stop();
  assert.deepEqual(clock.delays.slice(0, 2), [5_499, 10_999]);
  await server.close();
});

test('401 with a wrong token is an HTTP error with its status, retried with back-off', async () => {
  const server = await startFakeX({ token: TOKEN, scripts: [] });
  const clock = new RecordingClock(1, HOUR);
  const src = new XSource({
    kind: 'x',
    catalog,
    bearerToken: 'wrong',
    baseUrl: server.baseUrl,
    manageRules: false,
    clock,
    stallTimeoutMs: HOUR,
    random: () => 0,
  });
  src.start(() => {});
  await waitFor(() => clock.delays.length >= 2);
  await src.stop();
  assert.equal(src.stats().lastError?.code, 'http_error');
  assert.equal(src.stats().lastError?.status, 401);
  assert.deepEqual(clock.delays.slice(0, 2), [5_000, 10_000]);
  await server.close();
});

test('20 s of silence (here 80 ms) means a dead connection: reconnect', async () => {
  const server = await startFakeX({
    token: TOKEN,
    scripts: [
      [{ line: xLine('1', 'a') }, { hang: true }],
      [{ line: xLine('2', 'b') }, { hang: true }],
    ],
  });
  const src = new XSource({
    kind: 'x',
    catalog,
    bearerToken: TOKEN,
    baseUrl: server.baseUrl,
    manageRules: false,
    stallTimeoutMs: 80,
  });
  const s = sink();
  src.start(s.emit);
  await waitFor(() => s.got.length === 2);
  assert.equal(src.stats().lastError?.code, 'stalled');
  assert.equal(server.streamRequests.length, 2);
  await src.stop();
  await server.close();
});

test('operational-disconnect in the stream ends the connection and reconnects', async () => {
  const disconnect = {
    errors: [
      {
        title: 'operational-disconnect',
        disconnect_type: 'UpstreamOperationalDisconnect',
        detail: 'This stream has been disconnected upstream for operational reasons.',
        type: 'https://api.x.com/2/problems/operational-disconnect',
      },
    ],
  };
  const server = await startFakeX({
    token: TOKEN,
    scripts: [
      [{ line: disconnect }, { hang: true }],
      [{ line: xLine('5', 'e') }, { hang: true }],
    ],
  });
  const clock = new RecordingClock(1, HOUR);
  const src = new XSource({
    kind: 'x',
    catalog,
    bearerToken: TOKEN,
    baseUrl: server.baseUrl,
    manageRules: false,
    clock,
    stallTimeoutMs: HOUR,
  });
  const s = sink();
  src.start(s.emit);
  await waitFor(() => s.got.length === 1);
  assert.deepEqual(clock.delays, [0]);
  await src.stop();
  await server.close();
});

test('rules sync: adds ours, deletes stale ours, leaves foreign rules; re-syncs on catalog change', async () => {
  const server = await startFakeX({
    token: TOKEN,
    scripts: [],
    rules: [
      { id: '1', value: 'cats -is:retweet', tag: 'someone-else' },
      { id: '2', value: '("Old Movie") -is:retweet', tag: 'filmgrain:99' },
    ],
  });
  const src = new XSource({
    kind: 'x',
    catalog,
    bearerToken: TOKEN,
    baseUrl: server.baseUrl,
    stallTimeoutMs: HOUR,
  });
  await src.syncRules();
  assert.deepEqual(server.rulePosts[0], { delete: { ids: ['2'] } });
  assert.deepEqual(
    server.rules.map((r) => r.tag),
    ['someone-else', 'filmgrain:1,2,3'],
  );
  const ours = server.rules[1]!;
  assert.ok(ours.value.includes('"Dune: Part Two"') && ours.value.includes('#DunePartTwo'));
  assert.ok(
    ours.value.includes('("Weapons" (movie OR film'),
    'everyday-word title needs a film word',
  );
  assert.ok(ours.value.endsWith(' -is:retweet'));

  // Unchanged catalog: nothing to post.
  const posts = server.rulePosts.length;
  await src.syncRules();
  assert.equal(server.rulePosts.length, posts);

  await src.updateCatalog({ movies: [...catalog.movies, { id: 4, title: 'Wicked', year: 2024 }] });
  assert.deepEqual(
    server.rules.map((r) => r.tag),
    ['someone-else', 'filmgrain:1,2,3,4'],
  );
  assert.equal(src.stats().rules, 1);
  await src.stop();
  await server.close();
});

test('deriveRules respects rule length and count limits and reports what it left out', () => {
  const big: Catalog = {
    movies: Array.from({ length: 200 }, (_, i) => ({
      id: i + 1,
      title: `Some Long Movie Title Number ${i + 1}`,
      hashtags: [`Movie${i + 1}`],
    })),
  };
  const { rules, omitted } = deriveRules(big, { maxRules: 5, maxRuleLength: 512 });
  assert.equal(rules.length, 5);
  for (const r of rules) assert.ok(r.value.length <= 512, `${r.value.length}`);
  const covered = rules.flatMap((r) => movieIdsOfTag(r.tag));
  assert.equal(covered.length + omitted.length, 200);
  assert.deepEqual(
    covered,
    Array.from({ length: covered.length }, (_, i) => i + 1),
  );
  const pro = deriveRules(big);
  assert.equal(pro.omitted.length, 0);
  for (const r of pro.rules) assert.ok(r.value.length <= 1024);
});

test('the token comes from X_BEARER_TOKEN; missing token is a clear error', () => {
  const saved = process.env.X_BEARER_TOKEN;
  delete process.env.X_BEARER_TOKEN;
  assert.throws(() => createSource({ kind: 'x', catalog }), /X_BEARER_TOKEN/);
  process.env.X_BEARER_TOKEN = 'from-env';
  assert.doesNotThrow(() => createSource({ kind: 'x', catalog }));
  if (saved === undefined) delete process.env.X_BEARER_TOKEN;
  else process.env.X_BEARER_TOKEN = saved;
});

test('xReconnectDelay: the documented schedules and their caps', () => {
  const zero = () => 0;
  const net = [0, 1, 2, 63, 64, 100].map((n) => xReconnectDelay({ kind: 'network' }, n, zero));
  assert.deepEqual(net, [250, 500, 750, 16_000, 16_000, 16_000]);
  const http = [0, 1, 5, 6, 7].map((n) => xReconnectDelay({ kind: 'http', status: 503 }, n, zero));
  assert.deepEqual(http, [5_000, 10_000, 160_000, 320_000, 320_000]);
  const rate = [0, 1, 5, 6].map((n) => xReconnectDelay({ kind: 'http', status: 429 }, n, zero));
  assert.deepEqual(rate, [60_000, 120_000, 1_920_000, 1_920_000]);
});

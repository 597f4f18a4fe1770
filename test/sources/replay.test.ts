import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { until } from '../../harness/until.js';
import { createSource } from '../../src/feeder/sources/index.js';
import { parseReplayLine, ReplaySource } from '../../src/feeder/sources/replay.js';
import type { Tweet } from '../../src/protocol/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { likeEvent, postEvent } from './fake-jetstream.js';
import { xLine } from './fake-x.js';

const T0 = 1_725_911_162_000_000; // µs
const dir = mkdtempSync(join(tmpdir(), 'filmgrain-replay-'));

function file(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

function tweet(id: string, ms: number, source = 'synthetic'): string {
  return JSON.stringify({
    id,
    text: `post ${id}`,
    user: { id: 'u1', name: 'U', handle: 'u' },
    created_at: new Date(ms).toISOString(),
    lang: 'en',
    source,
  });
}

const tick = () => new Promise<void>((r) => setImmediate(r));
/**
 * Waits (bounded, 10 s of real time) for a file read to land: reads go through the
 * thread pool, which on a loaded machine takes more than a few event-loop turns.
 */
const landed = (cond: () => boolean) => until(cond, 10_000, 'a file read', 5);

test('detects each format per line; blank lines skipped, malformed counted', async () => {
  const p = file('mixed.ndjson', [
    postEvent('did:plc:a', T0, 'rk1', 'bluesky post').frame,
    likeEvent(T0 + 1).frame,
    JSON.stringify(xLine('1800', 'x post')),
    tweet('syn-1', T0 / 1000 + 5),
    '',
    '{"nope": true}',
    'garbage',
    JSON.stringify({ id: 'n2', text: 't', user: { id: 'u' }, created_at: 'not a date' }),
  ]);
  const src = createSource({ kind: 'replay', path: p, pace: 'max' });
  const got: Tweet[] = [];
  src.start((b) => got.push(...b));
  await src.done;
  assert.deepEqual(
    got.map((t) => [t.source, t.id]),
    [
      ['bluesky', 'at://did:plc:a/app.bsky.feed.post/rk1'],
      ['x', '1800'],
      ['synthetic', 'syn-1'],
    ],
  );
  assert.equal(src.stats().malformed, 3);
  assert.equal(src.stats().posts, 3);
});

test('a normalized post without a known source is marked replay', () => {
  const r = parseReplayLine(
    JSON.stringify({
      id: 'a',
      text: 'b',
      user: { id: 'c', name: 'd' },
      created_at: '2024-01-01T00:00:00Z',
    }),
  );
  assert.ok(typeof r === 'object' && r.post.source === 'replay');
});

test('max pace: batches, yields to the event loop between them, done at EOF', async () => {
  const lines = Array.from({ length: 10_000 }, (_, i) => tweet(`m${i}`, 1e12 + i));
  const p = file('big.ndjson', lines);
  const src = createSource({ kind: 'replay', path: p, pace: 'max', batchSize: 500 });
  let n = 0;
  let batches = 0;
  let turns = 0;
  let spinning = true;
  const spin = () => {
    turns++;
    if (spinning) setImmediate(spin);
  };
  spin();
  src.start((b) => {
    n += b.length;
    batches++;
    assert.ok(b.length <= 500);
  });
  await src.done;
  spinning = false;
  assert.equal(n, 10_000);
  assert.ok(batches >= 20);
  assert.ok(turns >= 20, `event loop turns during replay: ${turns}`);
});

test('recorded pace follows the gaps, speed divides them, long gaps are capped', async () => {
  const base = 1_700_000_000_000;
  const lines = [
    tweet('a', base),
    tweet('b', base),
    tweet('c', base + 1000),
    tweet('d', base + 3000),
    tweet('e', base + 3_600_000),
  ];
  for (const [speed, expected] of [
    [1, [1000, 2000, 60_000]],
    [4, [250, 500, 15_000]],
  ] as const) {
    const clock = new FakeClock(0);
    const p = file(`paced-${speed}.ndjson`, lines);
    const src = new ReplaySource({ kind: 'replay', path: p, speed, clock });
    const batches: string[][] = [];
    src.start((b) => batches.push(b.map((t) => t.id)));
    await landed(() => clock.delays.length >= 1);
    assert.deepEqual(batches, [['a', 'b']], 'same-time posts go out together, the next waits');
    while (clock.pending() > 0 || clock.delays.length < expected.length) {
      clock.fireNext();
      for (let i = 0; i < 20; i++) await tick();
    }
    await src.done;
    assert.deepEqual(clock.delays, expected);
    assert.deepEqual(batches, [['a', 'b'], ['c'], ['d'], ['e']]);
  }
});

test('a stream input publishes each post as it arrives, before EOF', async () => {
  const input = new PassThrough();
  const src = createSource({ kind: 'replay', path: '-', input });
  const got: string[] = [];
  src.start((b) => got.push(...b.map((t) => t.id)));
  input.write(`${tweet('s1', 1e12)}\n`);
  for (let i = 0; i < 50 && got.length < 1; i++) await tick();
  assert.deepEqual(got, ['s1']);
  // A line split across writes is joined, and not emitted until complete.
  const l2 = tweet('s2', 1e12 + 1);
  input.write(l2.slice(0, 10));
  for (let i = 0; i < 10; i++) await tick();
  assert.deepEqual(got, ['s1']);
  input.end(`${l2.slice(10)}\n${tweet('s3', 1e12 + 2)}`); // last line without newline
  await src.done;
  assert.deepEqual(got, ['s1', 's2', 's3']);
});

test('stdin of a real child process: posts appear while stdin is still open', async () => {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(new URL(`./replay-stdin-child.${ext}`, import.meta.url))],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    out += d;
  });
  const seen = async (s: string) => {
    for (let i = 0; i < 400 && !out.includes(s); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(out.includes(s), `child printed ${JSON.stringify(out)}`);
  };
  child.stdin.write(`${postEvent('did:plc:k', T0, 'live1', 'hello').frame}\n`);
  await seen('at://did:plc:k/app.bsky.feed.post/live1\n');
  assert.ok(!out.includes('done'));
  child.stdin.end(`garbage\n${tweet('t2', 1e12)}\n`);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.equal(code, 0);
  assert.ok(out.endsWith('t2\ndone 2 1\n'), out);
});

test('missing file is a configuration error; stop() ends a paced replay early', async () => {
  assert.throws(() => createSource({ kind: 'replay', path: join(dir, 'nope.ndjson') }), /ENOENT/);
  const clock = new FakeClock(0);
  const p = file('long.ndjson', [tweet('a', 0), tweet('b', 50_000)]);
  const src = new ReplaySource({ kind: 'replay', path: p, clock });
  let n = 0;
  src.start((b) => {
    n += b.length;
  });
  // The file is read on the thread pool: on a loaded machine that takes more than a few
  // event-loop turns, so wait (bounded) for the paced wait to be scheduled.
  await landed(() => clock.pending() > 0);
  await src.stop();
  assert.equal(n, 1);
});

/**
 * Hostile input against a live endpoint over real TLS (issue 8 § 1): random bytes,
 * invalid UTF-8, lines split at every byte boundary, huge lines, deep nesting, huge
 * numbers, prototype keys, wrong types in every parameter. Each case gets exactly its
 * documented error code (PROTOCOL.md § Error codes), the connection survives every
 * non-fatal one, and a bystander following a movie meanwhile gets every post and no
 * error. Seeded (FUZZ_SEED to replay), bounded: the whole file runs in ~10 s.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { ERROR_CODES, type ErrorCode } from '../../src/protocol/index.js';
import { startEndpoint, type TestEndpoint } from '../support/endpoint.js';
import { Bystander, once, Probe } from './probe.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240808);
const MAX_LINE = 4096;
let cases = 0;
const run = <T>(arb: fc.Arbitrary<T>, pred: (v: T) => Promise<void>, numRuns: number) =>
  fc.assert(
    fc.asyncProperty(arb, async (v) => {
      cases++;
      await pred(v);
    }),
    { seed: SEED, numRuns, endOnFailure: true },
  );

const PARSE_ERRORS = new Set<string>([
  'invalid_json',
  'invalid_encoding',
  'invalid_message',
  'unknown_action',
  'invalid_params',
  'not_connected',
]);
/**
 * What the server answered, by code. `feed_started` follows a history read, so when a
 * feed is left started it may come before or after the sentinel pong: left out.
 */
const codes = (replies: { action: string; params: Record<string, unknown> }[]) =>
  replies
    .filter((m) => m.action !== 'feed_started')
    .map((m) => (m.action === 'error' ? String(m.params.code) : m.action));

/** The lines a byte string splits into, as the server counts them (CR stripped, blanks skipped). */
function lineCount(bytes: Uint8Array): number {
  const text = Buffer.from(bytes).toString('latin1');
  return text.split('\n').filter((l) => l.replace(/\r$/, '') !== '').length;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const isUtf8 = (b: Uint8Array) => {
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
};

describe('hostile input (live TLS endpoint)', () => {
  let ep: TestEndpoint;
  let bystander: Bystander;
  let open: Probe; // connected
  let fresh: Probe; // not connected
  before(async () => {
    ep = await startEndpoint({
      // The fuzzer is one fast client: lift the per-connection rate limit and the
      // handshake gate so every case reaches the parser (floods are tested apart).
      messagesPerSecond: 1_000_000,
      messageBurst: 1_000_000,
      handshakesPerSecond: 0,
      // The unconnected probe lives through thousands of cases; on a loaded machine that
      // outlasts the default 10 s `connect` deadline (deadlines are tested in limits).
      handshakeTimeoutMs: 120_000,
    });
    bystander = await Bystander.start(ep);
    open = new Probe(ep, true);
    fresh = new Probe(ep, false);
  });
  after(async () => {
    open.close();
    fresh.close();
    bystander.close();
    await ep.close();
  });

  test('random bytes: one non-fatal parse error per line, connection kept', async () => {
    await run(
      fc.uint8Array({ maxLength: 600 }),
      async (bytes) => {
        const a = await open.ask([Buffer.from(bytes)]);
        assert.equal(a.closed, false);
        const got = codes(a.replies);
        // Whatever the bytes say, a connected session answers each line with one error.
        assert.equal(got.length, lineCount(bytes), JSON.stringify(got));
        for (const c of got) assert.ok(PARSE_ERRORS.has(c) || c === 'already_connected', c);
      },
      2000,
    );
  });

  test('invalid UTF-8 anywhere in a line: invalid_encoding', async () => {
    const invalid = fc
      .tuple(
        fc.uint8Array({ maxLength: 100 }),
        fc.constantFrom([0xff], [0xc0, 0x80], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8]),
        fc.uint8Array({ maxLength: 100 }),
      )
      .map(([a, bad, b]) => Uint8Array.from([...a, ...bad, ...b].filter((x) => x !== 0x0a)))
      .filter((b) => !isUtf8(b));
    await run(
      invalid,
      async (bytes) => {
        const a = await open.ask([Buffer.from(bytes)]);
        assert.deepEqual(codes(a.replies), ['invalid_encoding']);
      },
      1000,
    );
  });

  test('a session split at every byte boundary, even inside UTF-8, works the same', async () => {
    const script = Buffer.from(
      [
        '{"action":"connect","params":{"version":1,"client":{"name":"Fïlmgrâin 🎬 テスト"}}}',
        '{"action":"start_feed","params":{"movie_id":2}}',
        '{"action":"stop_feed","params":{"movie_id":2}}',
        '{"action":"nope","params":{"x":"€"}}\r',
        '',
      ].join('\n'),
    );
    for (let i = 0; i <= script.length; i++) {
      cases++;
      const a = await once(ep, [script.subarray(0, i), script.subarray(i)]);
      assert.deepEqual(codes(a.replies), ['set_movies', 'unknown_action'], `split at ${i}`);
    }
    // And into many random pieces.
    await run(
      fc.uniqueArray(fc.integer({ min: 1, max: script.length - 1 }), { maxLength: 40 }),
      async (cuts) => {
        const at = [0, ...cuts.sort((x, y) => x - y), script.length];
        const parts = at.slice(1).map((end, k) => script.subarray(at[k], end));
        const a = await once(ep, parts);
        assert.deepEqual(codes(a.replies), ['set_movies', 'unknown_action']);
      },
      300,
    );
  });

  test('line length: up to the limit is handled, past it line_too_long and a close', async () => {
    await run(
      fc.oneof(
        fc.integer({ min: 30, max: MAX_LINE * 3 }),
        fc.integer({ min: MAX_LINE - 2, max: MAX_LINE + 2 }),
      ),
      async (n) => {
        const ping = '{"action":"ping","params":{}}';
        const line = ping + ' '.repeat(Math.max(0, n - ping.length));
        const a = await once(ep, [line]);
        if (n <= MAX_LINE)
          assert.deepEqual(a, {
            replies: [{ action: 'pong', params: a.replies[0]?.params ?? {} }],
            closed: false,
          });
        else {
          assert.deepEqual(codes(a.replies), ['line_too_long']);
          assert.equal(a.closed, true);
        }
      },
      200,
    );
    // A 16 MiB line with no newline at all: one error, a close, nothing buffered.
    cases++;
    const a = await once(ep, [Buffer.alloc(16 * 1024 * 1024, 0x41)]);
    assert.deepEqual(codes(a.replies), ['line_too_long']);
    assert.equal(a.closed, true);
  });

  test('deep nesting and huge numbers get invalid_params or invalid_message, never a crash', async () => {
    await run(
      fc.record({
        depth: fc.integer({ min: 1, max: 2000 }),
        where: fc.constantFrom('ts', 'top', 'extra', 'id'),
      }),
      async ({ depth, where }) => {
        const nest = '['.repeat(depth) + ']'.repeat(depth);
        if (nest.length + 60 > MAX_LINE) return;
        const line =
          where === 'ts'
            ? `{"action":"ping","params":{"ts":${nest}}}`
            : where === 'top'
              ? nest
              : where === 'id'
                ? `{"action":"start_feed","params":{"movie_id":${nest}}}`
                : `{"action":"ping","params":{"extra":${nest}}}`;
        const a = await open.ask([line]);
        const expected = {
          ts: ['invalid_params'],
          top: ['invalid_message'],
          id: ['invalid_params'],
          extra: ['pong'],
        }[where];
        assert.deepEqual(codes(a.replies), expected);
      },
      300,
    );
    const numberLiteral = fc.oneof(
      fc.double().map((d) => JSON.stringify(d)),
      fc.bigInt().map(String),
      fc.constantFrom(
        '1e400',
        '-1e400',
        '1e-400',
        '9007199254740993',
        '-0',
        '0',
        '1.0',
        '3',
        '99',
        '2',
        '1E2',
        '123456789012345678901234567890',
      ),
    );
    await run(
      numberLiteral,
      async (lit) => {
        const v: unknown = JSON.parse(lit);
        const id = await open.ask([
          `{"action":"start_feed","params":{"movie_id":${lit}}}`,
          `\n{"action":"stop_feed","params":{"movie_id":${lit}}}`,
        ]);
        const valid = typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
        const known = valid && [1, 2, 3].includes(v as number);
        const exp = !valid ? ['invalid_params', 'invalid_params'] : known ? [] : ['unknown_movie'];
        // A known movie 1 replays history: posts, not errors.
        assert.deepEqual(
          codes(id.replies).filter((c) => c !== 'post_tweet'),
          exp,
          lit,
        );
        const ping = await open.ask([`{"action":"ping","params":{"ts":${lit}}}`]);
        if (Number.isFinite(v)) {
          assert.deepEqual(codes(ping.replies), ['pong'], lit);
          assert.ok(
            ping.replies[0]?.params.ts === v || (v === 0 && ping.replies[0]?.params.ts === 0),
            lit,
          ); // -0 echoes as 0
        } else assert.deepEqual(codes(ping.replies), ['invalid_params'], lit);
      },
      1000,
    );
  });

  test('__proto__ / constructor keys: answered by code, prototypes untouched', async () => {
    const key = fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'action',
      'params',
      'movie_id',
      'ts',
      'token',
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom('ping', 'connect', 'start_feed', '__proto__', 'constructor', null, 1, true),
        fc.dictionary(key, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    await run(
      fc.dictionary(key, value, { maxKeys: 5 }),
      async (obj) => {
        // JSON.stringify drops nothing here: fast-check builds `__proto__` as an own key.
        const a = await open.ask([JSON.stringify(obj)]);
        assert.equal(a.closed, false);
        for (const c of codes(a.replies))
          assert.ok(
            PARSE_ERRORS.has(c) ||
              ['pong', 'already_connected', 'unknown_movie', 'post_tweet'].includes(c),
            c,
          );
        assert.equal(({} as Record<string, unknown>).movie_id, undefined);
        assert.equal(({} as Record<string, unknown>).action, undefined);
        assert.equal(Object.prototype.toString.call([]), '[object Array]');
      },
      1000,
    );
    for (const action of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype']) {
      cases++;
      const a = await open.ask([JSON.stringify({ action, params: {} })]);
      assert.deepEqual(codes(a.replies), ['unknown_action']);
    }
  });

  test('wrong types in every parameter: invalid_params (invalid_message for the envelope)', async () => {
    const anyJson = fc.jsonValue({ maxDepth: 2 });
    type Case = { line: string; expect: ErrorCode; connected: boolean };
    const wrong = (ok: (v: unknown) => boolean) => anyJson.filter((v) => v !== undefined && !ok(v));
    const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    const posInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
    const shortStr = (n: number) => (v: unknown) => typeof v === 'string' && v.length <= n;
    const line = (action: unknown, params: unknown) => JSON.stringify({ action, params });
    const arbCase: fc.Arbitrary<Case> = fc.oneof(
      wrong((v) => typeof v === 'string').map((a) => ({
        line: line(a, {}),
        expect: 'invalid_message' as const,
        connected: true,
      })),
      wrong((v) => isObj(v) || v === null).map((p) => ({
        line: line('ping', p),
        expect: 'invalid_message' as const,
        connected: true,
      })),
      // connect.version: any number other than 1 or 2 is unsupported_version (fatal), tested below.
      wrong((v) => typeof v === 'number').map((v) => ({
        line: line('connect', { version: v }),
        expect: 'invalid_params' as const,
        connected: false,
      })),
      wrong((v) => isObj(v)).map((v) => ({
        line: line('connect', { client: v }),
        expect: 'invalid_params' as const,
        connected: false,
      })),
      wrong(shortStr(128)).map((v) => ({
        line: line('connect', { client: { name: v } }),
        expect: 'invalid_params' as const,
        connected: false,
      })),
      wrong(shortStr(2048)).map((v) => ({
        line: line('connect', { token: v }),
        expect: 'invalid_params' as const,
        connected: false,
      })),
      wrong(posInt).map((v) => ({
        line: line('start_feed', { movie_id: v }),
        expect: 'invalid_params' as const,
        connected: true,
      })),
      wrong(
        (v) => v === null || (typeof v === 'string' && /^[0-9]{1,16}-[0-9]{1,10}$/.test(v)),
      ).map((v) => ({
        line: line('start_feed', { movie_id: 2, since: v }),
        expect: 'invalid_params' as const,
        connected: true,
      })),
      wrong(posInt).map((v) => ({
        line: line('stop_feed', { movie_id: v }),
        expect: 'invalid_params' as const,
        connected: true,
      })),
      wrong((v) => typeof v === 'number').map((v) => ({
        line: line('ping', { ts: v }),
        expect: 'invalid_params' as const,
        connected: true,
      })),
    );
    await run(
      arbCase,
      async (c) => {
        const a = await (c.connected ? open : fresh).ask([c.line]);
        assert.deepEqual(codes(a.replies), [c.expect], c.line);
        assert.equal(a.closed, false);
      },
      3000,
    );
    // The one fatal parameter error: a version we do not speak (any number but 1 or 2).
    await run(
      fc.oneof(fc.integer({ min: 3, max: 2 ** 31 }), fc.integer({ max: 0 }), fc.constant(1.5)),
      async (version) => {
        const a = await once(ep, [line('connect', { version })]);
        assert.deepEqual(codes(a.replies), ['unsupported_version']);
        assert.equal(a.closed, true);
      },
      10,
    );
    // And the unconnected probe still connects afterwards.
    const done = await fresh.ask([line('connect', {})]);
    assert.deepEqual(codes(done.replies), ['set_movies']);
  });

  test('the bystander got every post, in order, and nothing else; sessions back to baseline', async (t) => {
    const { published, posts, others } = await bystander.finish();
    assert.ok(published.length > 20, `only ${published.length} posts published`);
    assert.deepEqual(posts, published);
    assert.deepEqual(others, []);
    open.close();
    fresh.close();
    for (let i = 0; i < 200 && ep.endpoint.connectionCount > 1; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(ep.endpoint.connectionCount, 1, 'only the bystander is left');
    const s = ep.endpoint.stats;
    assert.equal(s.feedsStarted - s.feedsStopped, 1, 'only the bystander feed is left');
    const unknown = [...s.errors.keys()].filter((c) => !(c in ERROR_CODES));
    assert.deepEqual(unknown, []);
    assert.equal(s.errors.get('internal_error') ?? 0, 0);
    t.diagnostic(
      `hostile-input cases: ${cases} (seed ${SEED}), bystander posts: ${posts.length}, connections: ${s.connectionsOpened}`,
    );
    console.log(
      `# fuzz hostile-input: ${cases} cases, seed ${SEED}, ${s.connectionsOpened} TLS connections, bystander got ${posts.length}/${published.length} posts`,
    );
  });
});

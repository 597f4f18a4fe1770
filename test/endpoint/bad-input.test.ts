/**
 * Each bad input gets its documented error code; the connection stays usable (or is
 * closed, for fatal codes) and other clients notice nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WsClient } from '../../harness/ws-client.js';
import {
  type ProtocolClient,
  post,
  startEndpointOn,
  type TestEndpoint,
  TRANSPORTS,
} from '../support/endpoint.js';

async function stillUsable(c: ProtocolClient): Promise<void> {
  c.send('ping', { ts: 7 });
  const pong = await c.nextOf('pong');
  assert.equal(pong.params.ts, 7);
}

for (const transport of TRANSPORTS)
  describe(`bad input over ${transport}`, () => {
    let ep: TestEndpoint<ProtocolClient>;
    let bystander: ProtocolClient;
    before(async () => {
      ep = await startEndpointOn(transport);
      bystander = await ep.client();
      bystander.send('start_feed', { movie_id: 1 });
    });
    after(() => ep.close());

    const nonFatal: [string, string | Buffer, string][] = [
      ['not JSON', 'hello there\n', 'invalid_json'],
      ['truncated JSON', '{"action": "ping"\n', 'invalid_json'],
      ['a JSON array', '[1,2,3]\n', 'invalid_message'],
      ['a JSON string', '"connect"\n', 'invalid_message'],
      ['null', 'null\n', 'invalid_message'],
      ['action not a string', '{"action": 5, "params": {}}\n', 'invalid_message'],
      ['params not an object', '{"action": "ping", "params": [1]}\n', 'invalid_message'],
      ['unknown action', '{"action": "launch_missiles", "params": {}}\n', 'unknown_action'],
      [
        'movie_id a string',
        '{"action": "start_feed", "params": {"movie_id": "1"}}\n',
        'invalid_params',
      ],
      [
        'movie_id a float',
        '{"action": "start_feed", "params": {"movie_id": 1.5}}\n',
        'invalid_params',
      ],
      [
        'movie_id negative',
        '{"action": "stop_feed", "params": {"movie_id": -3}}\n',
        'invalid_params',
      ],
      [
        'movie_id huge',
        '{"action": "start_feed", "params": {"movie_id": 1e300}}\n',
        'invalid_params',
      ],
      ['movie_id missing', '{"action": "start_feed", "params": {}}\n', 'invalid_params'],
      [
        'since a number',
        '{"action": "start_feed", "params": {"movie_id": 1, "since": 5}}\n',
        'invalid_params',
      ],
      ['ts a string', '{"action": "ping", "params": {"ts": "now"}}\n', 'invalid_params'],
      [
        'unknown movie',
        '{"action": "start_feed", "params": {"movie_id": 999999}}\n',
        'unknown_movie',
      ],
      ['second connect', '{"action": "connect", "params": {}}\n', 'already_connected'],
      [
        'live_cap not a boolean',
        '{"action": "connect", "params": {"version": 2, "live_cap": "yes"}}\n',
        'invalid_params',
      ],
      // Over WebSocket a text frame must be UTF-8 (RFC 6455 closes it: see below).
      ...(transport === 'line'
        ? ([['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), 'invalid_encoding']] as [
            string,
            Buffer,
            string,
          ][])
        : []),
      [
        '__proto__ keys',
        '{"action": "start_feed", "params": {"__proto__": {"movie_id": 1}}}\n',
        'invalid_params',
      ],
    ];

    for (const [name, line, code] of nonFatal) {
      test(`${name} → ${code}, connection stays usable`, async () => {
        const c = await ep.client();
        c.sendRaw(line);
        const err = await c.nextOf('error');
        assert.equal(err.params.code, code);
        assert.equal(err.params.fatal, false);
        assert.equal(typeof err.params.message, 'string');
        await stillUsable(c);
      });
    }

    test('start_feed before connect → not_connected; connect still works after', async () => {
      const c = await ep.client({ connect: false });
      c.send('start_feed', { movie_id: 1 });
      const err = await c.nextOf('error');
      assert.equal(err.params.code, 'not_connected');
      assert.equal(err.params.in_reply_to, 'start_feed');
      c.send('connect', {});
      await c.nextOf('set_movies');
    });

    test('an unsupported version is fatal: error, then close', async () => {
      const c = await ep.client({ connect: false });
      c.send('connect', { version: 3 });
      const err = await c.nextOf('error');
      assert.equal(err.params.code, 'unsupported_version');
      assert.equal(err.params.fatal, true);
      await c.closed;
    });

    test('a line over the limit gets line_too_long and a close', async () => {
      const c = await ep.client();
      c.sendRaw(`{"action":"ping","params":{"pad":"${'x'.repeat(10_000)}"}}\n`);
      const err = await c.nextOf('error');
      assert.equal(err.params.code, 'line_too_long');
      await c.closed;
    });

    test('a line split at every byte boundary is still one message', {
      skip: transport !== 'line' && 'line framing',
    }, async () => {
      const c = await ep.client();
      const bytes = Buffer.from('{"action":"ping","params":{"ts":99,"note":"héllo ☃"}}\n');
      for (let i = 0; i < bytes.length; i++) {
        c.sendRaw(bytes.subarray(i, i + 1));
        await new Promise((r) => setImmediate(r));
      }
      assert.equal((await c.nextOf('pong')).params.ts, 99);
    });

    if (transport === 'websocket') {
      test('a frame is one message: JSON whitespace, newlines included, is whitespace; one trailing \\n is allowed', async () => {
        const c = (await ep.client()) as WsClient;
        c.sendFrame('{\n  "action": "ping",\n  "params": {"ts": 5}\n}');
        assert.equal((await c.nextOf('pong')).params.ts, 5);
        c.sendFrame('{"action":"ping","params":{"ts":6}}\n');
        assert.equal((await c.nextOf('pong')).params.ts, 6);
        c.sendFrame('');
        c.sendFrame('{"action":"ping","params":{"ts":7}}');
        assert.equal(
          (await c.next())?.params.ts,
          7,
          'an empty frame is ignored like an empty line',
        );
      });

      test('a binary frame is read like a text frame; one that is not UTF-8 → invalid_encoding, usable', async () => {
        const c = (await ep.client()) as WsClient;
        c.sendFrame(Buffer.from('{"action":"ping","params":{"ts":8}}'), true);
        assert.equal((await c.nextOf('pong')).params.ts, 8);
        c.sendFrame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), true);
        const err = await c.nextOf('error');
        assert.equal(err.params.code, 'invalid_encoding');
        assert.equal(err.params.fatal, false);
        await stillUsable(c);
      });

      test('a text frame that is not UTF-8 closes the connection with 1007 (RFC 6455 § 8.1)', async () => {
        const c = (await ep.client()) as WsClient;
        c.sendFrame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
        await c.closed;
        assert.equal(c.closeCode, 1007);
      });

      test('a frame past 4 × the line limit is cut by the library with 1009', async () => {
        const c = (await ep.client()) as WsClient;
        c.sendFrame('x'.repeat(4 * 4096 + 1));
        await c.closed;
        assert.equal(c.closeCode, 1009);
      });

      test('every server message is one text frame without a newline', async () => {
        const c = (await ep.client()) as WsClient;
        c.send('start_feed', { movie_id: 2 });
        await ep.engine.ingest([post([2], 'one'), post([2], 'two')]);
        await c.nextOf('post_tweet');
        await c.nextOf('post_tweet');
        assert.deepEqual(c.badFrames, []);
      });
    }

    test('the bystander noticed nothing and still gets its posts', async () => {
      bystander.drain();
      await ep.engine.ingest([post([1], 'still here')]);
      const m = await bystander.nextOf('post_tweet');
      assert.equal((m.params.tweet as { text: string }).text, 'still here');
      assert.deepEqual(
        bystander.drain().filter((x) => x.action === 'error'),
        [],
      );
    });
  });

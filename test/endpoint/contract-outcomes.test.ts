/**
 * What PROTOCOL.md now says where it used to leave a client guessing (issue 15, "Where
 * PROTOCOL.md leaves a client guessing"): one test per sentence, against a real TLS
 * endpoint. Each assertion quotes the section it checks.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LineClient, Message } from '../../harness/line-client.js';
import { MAX_CLIENT_LINE_BYTES } from '../../src/protocol/index.js';
import { startEndpoint } from '../support/endpoint.js';
import { FakeClock } from '../support/fake-clock.js';

/** Sends a sentinel ping and returns every line before its pong. */
async function upToPong(c: LineClient, ts = 424242): Promise<Message[]> {
  c.send('ping', { ts });
  const got: Message[] = [];
  for (;;) {
    const m = await c.next(5000);
    assert.ok(m !== null, `closed; got ${JSON.stringify(got)}`);
    if (m.action === 'pong' && m.params.ts === ts) return got;
    got.push(m);
  }
}

const errorOf = (m: Message | null | undefined) => {
  assert.equal(m?.action, 'error', JSON.stringify(m));
  return m!.params;
};

describe('PROTOCOL.md, said exactly', () => {
  test('§ 2: the line limit counts a \\r; \\r alone is an empty line; whitespace-only is invalid_json', async () => {
    const ep = await startEndpoint();
    try {
      const c = await ep.client();
      const ping = '{"action":"ping","params":{"ts":1}}';
      const pad = (n: number) => ping + ' '.repeat(n - ping.length);
      // Exactly the limit, a \r included: handled.
      c.sendRaw(`${pad(MAX_CLIENT_LINE_BYTES - 1)}\r\n`);
      assert.equal((await c.nextOf('pong')).params.ts, 1);
      // Empty lines, also a lone \r, get nothing; spaces or a tab get invalid_json.
      c.sendRaw('\n\r\n');
      assert.deepEqual(await upToPong(c), []);
      c.sendRaw('   \n');
      c.sendRaw('\t\n');
      const replies = await upToPong(c);
      assert.equal(replies.length, 2);
      for (const r of replies) {
        const e = errorOf(r);
        assert.equal(e.code, 'invalid_json');
        assert.equal(e.fatal, false);
        assert.equal('in_reply_to' in e, false, '§ 5: no in_reply_to for invalid_json');
      }
      // The limit's JSON plus a \r: one byte too many.
      c.sendRaw(`${pad(MAX_CLIENT_LINE_BYTES)}\r\n`);
      const e = errorOf(await c.next());
      assert.equal(e.code, 'line_too_long');
      assert.equal('in_reply_to' in e, false);
      await c.closed;
    } finally {
      await ep.close();
    }
  });

  test('§ 3: 1.0 is 1 for movie_id; 1.5 and "1" are invalid_params without movie_id', async () => {
    const ep = await startEndpoint();
    try {
      const c = await ep.client();
      c.sendRaw('{"action":"start_feed","params":{"movie_id":1.0}}\n');
      assert.deepEqual((await c.nextOf('feed_started')).params, { movie_id: 1, backlog: 0 });
      for (const bad of ['1.5', '"1"']) {
        c.sendRaw(`{"action":"start_feed","params":{"movie_id":${bad}}}\n`);
        const e = errorOf(await c.next());
        assert.equal(e.code, 'invalid_params');
        assert.equal(e.in_reply_to, 'start_feed');
        assert.equal('movie_id' in e, false, `§ 5: movie_id ${bad} was not read`);
      }
    } finally {
      await ep.close();
    }
  });

  test('§ 4: an unknown action before connect is unknown_action (cut to 64 in in_reply_to)', async () => {
    const ep = await startEndpoint();
    try {
      const c = await ep.client({ connect: false });
      const long = `x${'y'.repeat(80)}`;
      c.send('frobnicate');
      c.send(long);
      c.send('start_feed', { movie_id: 1 });
      const [a, b, d] = (await upToPong(c)).map(errorOf);
      assert.deepEqual([a?.code, a?.in_reply_to], ['unknown_action', 'frobnicate']);
      assert.deepEqual([b?.code, b?.in_reply_to], ['unknown_action', long.slice(0, 64)]);
      assert.deepEqual([d?.code, d?.in_reply_to], ['not_connected', 'start_feed']);
    } finally {
      await ep.close();
    }
  });

  test('§ 4 connect: client fields over 128 characters and a non-string token are invalid_params; a token without auth is ignored', async () => {
    const ep = await startEndpoint();
    try {
      const c = await ep.client({ connect: false });
      for (const params of [
        { client: { name: 'n'.repeat(129) } },
        { client: { version: 3 } },
        { token: 42 },
        { token: 't'.repeat(2049) },
      ]) {
        c.send('connect', params);
        const e = errorOf(await c.next());
        assert.deepEqual([e.code, e.fatal, e.in_reply_to], ['invalid_params', false, 'connect']);
      }
      c.send('connect', { client: { name: 'n'.repeat(128) }, token: 'not.a.jwt' });
      assert.equal((await c.next())?.action, 'set_movies', 'still awaiting connect; then accepted');
    } finally {
      await ep.close();
    }
  });

  test('§ 4: a second connect is already_connected and changes nothing (no set_movies)', async () => {
    const ep = await startEndpoint();
    try {
      const c = await ep.client();
      c.send('connect', { version: 2, ranking_size: 1 });
      const replies = await upToPong(c);
      assert.equal(replies.length, 1, JSON.stringify(replies));
      const e = errorOf(replies[0]);
      assert.deepEqual([e.code, e.fatal, e.in_reply_to], ['already_connected', false, 'connect']);
    } finally {
      await ep.close();
    }
  });

  test('§ 4 since: "", a number and another form are invalid_params with movie_id; null is absent; a restart is no extra feed', async () => {
    const ep = await startEndpoint({ maxFeeds: 1 });
    try {
      const c = await ep.client();
      for (const since of ['', 5, 'abc', '12', '1-2-3']) {
        c.send('start_feed', { movie_id: 2, since });
        const e = errorOf(await c.next());
        assert.deepEqual(
          [e.code, e.in_reply_to, e.movie_id],
          ['invalid_params', 'start_feed', 2],
          `since ${JSON.stringify(since)}`,
        );
      }
      c.send('start_feed', { movie_id: 2, since: null });
      assert.deepEqual((await c.next())?.params, { movie_id: 2, backlog: 0 });
      // Restarting the one allowed feed is not a second feed.
      c.send('start_feed', { movie_id: 2 });
      assert.deepEqual((await c.next())?.params, { movie_id: 2, backlog: 0 });
    } finally {
      await ep.close();
    }
  });

  test('§ 5 in_reply_to: absent for invalid_encoding and non-object lines, present once the action is read', async () => {
    const ep = await startEndpoint();
    try {
      const c = await ep.client();
      c.sendRaw(Buffer.from([0xff, 0x0a]));
      c.sendRaw('[1]\n"ping"\n{"action":5}\n{"action":"ping","params":[]}\n');
      const got = (await upToPong(c)).map(errorOf);
      assert.deepEqual(
        got.map((e) => [e.code, e.in_reply_to]),
        [
          ['invalid_encoding', undefined],
          ['invalid_message', undefined],
          ['invalid_message', undefined],
          ['invalid_message', undefined],
          ['invalid_message', 'ping'],
        ],
      );
    } finally {
      await ep.close();
    }
  });

  test('§ 5 in_reply_to: absent for rate_limited', async () => {
    const ep = await startEndpoint({ messagesPerSecond: 1, messageBurst: 2 });
    try {
      const c = await ep.client();
      for (let i = 0; i < 5; i++) c.send('ping', { ts: i });
      const e = errorOf(await c.nextOf('error'));
      assert.equal(e.code, 'rate_limited');
      assert.equal('in_reply_to' in e, false);
    } finally {
      await ep.close();
    }
  });

  test('§ 7: a ping before connect is answered but does not extend the connect deadline', async () => {
    const clock = new FakeClock(1_000_000);
    const ep = await startEndpoint({ clock, handshakeTimeoutMs: 300, sweepIntervalMs: 50 });
    try {
      const c = await ep.client({ connect: false });
      c.send('ping', { ts: 0 });
      await c.nextOf('pong'); // the session exists (its deadline runs from its TLS handshake)
      clock.advance(200);
      c.send('ping', { ts: 1 });
      assert.equal((await c.nextOf('pong')).params.ts, 1);
      clock.advance(150); // 350 ms after the TLS handshake, 150 after the ping
      const e = errorOf(await c.next(3000));
      assert.equal(e.code, 'handshake_timeout');
      assert.equal('in_reply_to' in e, false);
      await c.closed;
    } finally {
      await ep.close();
    }
  });

  test('§ 5 reconnect: the refusal is the first line, unasked; reconnect before server_full before too_many_connections', async () => {
    const ep = await startEndpoint({ maxConnections: 1, maxConnectionsPerIp: 1 });
    const peer = { host: '127.0.0.1', port: 1, tls: true };
    try {
      await ep.client();
      const first = async () => {
        const c = await ep.client({ connect: false });
        const m = await c.next(3000); // sent nothing
        await c.closed;
        return m;
      };
      // Full and over the per-IP limit, with a peer to go to: reconnect.
      ep.endpoint.admission = () => ({ ...peer, reason: 'overloaded' });
      const r = await first();
      assert.deepEqual([r?.action, r?.params.reason], ['reconnect', 'overloaded']);
      // No peer: server_full wins over too_many_connections.
      ep.endpoint.admission = () => 'accept';
      const full = errorOf((await first()) ?? undefined);
      assert.deepEqual([full.code, full.fatal, full.in_reply_to], ['server_full', true, undefined]);
    } finally {
      await ep.close();
    }
    const perIp = await startEndpoint({ maxConnectionsPerIp: 1 });
    try {
      await perIp.client();
      const c = await perIp.client({ connect: false });
      const e = errorOf((await c.next(3000)) ?? undefined);
      assert.deepEqual([e.code, e.fatal, e.in_reply_to], ['too_many_connections', true, undefined]);
    } finally {
      await perIp.close();
    }
  });
});

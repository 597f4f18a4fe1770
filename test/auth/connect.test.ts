/**
 * Tokens on `connect` over a real TLS endpoint, keys from a local IdP's JWKS (the
 * harness's startEndpoint, test/support/fake-idp.ts): RS256 and ES256 accepted; a wrong
 * key, an expired token and alg confusion get `unauthorized`; a token of a key the IdP
 * published after our last fetch waits for one refetch and is accepted, and what the
 * client sent behind its `connect` meanwhile is answered after it, in order, rate
 * limited as ever; an IdP that does not answer gets a retryable `internal_error`, and
 * the handshake deadline still runs.
 */
import assert from 'node:assert/strict';
import { createHmac, createPublicKey } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Message } from '../../harness/line-client.js';
import { until } from '../../harness/until.js';
import { mintToken } from '../../src/auth/jwt.js';
import { loadVerifier, type TokenVerifier } from '../../src/auth/verifier.js';
import { startEndpoint, type TestEndpointOptions } from '../support/endpoint.js';
import { FakeClock } from '../support/fake-clock.js';
import { claims, type FakeIdp, makeKey, startFakeIdp } from '../support/fake-idp.js';

const AUDIENCE = 'filmgrain-test';
const quiet = { info() {}, warn() {}, error() {} };

/** An endpoint whose auth is the IdP's JWKS, on a fake clock for the key set's timers. */
async function setup(endpointOptions: TestEndpointOptions = {}) {
  const idp = await startFakeIdp({ keys: [makeKey('RS256', 'rsa-1'), makeKey('ES256', 'ec-1')] });
  const clock = new FakeClock(Date.now());
  const auth = (await loadVerifier(
    { authJwksUrl: idp.url, authAudience: AUDIENCE },
    { log: quiet, clock },
  )) as TokenVerifier;
  await auth.ready();
  const ep = await startEndpoint({ ...endpointOptions, auth });
  return {
    idp,
    clock,
    auth,
    ep,
    async close() {
      auth.close();
      await ep.close();
      await idp.close();
    },
  };
}

async function refusal(ep: Awaited<ReturnType<typeof setup>>['ep'], token: string) {
  const c = await ep.client({ connect: false });
  c.send('connect', { token });
  const m = await c.next();
  assert.equal(await c.next(), null, 'closed after the refusal');
  return m;
}

function token(idp: FakeIdp, index: number, extra = {}) {
  return mintToken(idp.keys[index]!, claims({ aud: AUDIENCE, ...extra }));
}

describe('connect with JWKS keys', () => {
  test('RS256 and ES256 are accepted; wrong key, expired, audience, alg confusion refused', async () => {
    const s = await setup();
    try {
      for (const i of [0, 1]) {
        const c = await s.ep.client({ connect: false });
        c.send('connect', { token: token(s.idp, i, { sub: `user-${i}` }) });
        await c.nextOf('set_movies');
      }
      const wrong = { ...makeKey('RS256'), kid: 'rsa-1' };
      const now = Math.floor(Date.now() / 1000);
      const pem = createPublicKey(s.idp.keys[0]!.key).export({ type: 'spki', format: 'pem' });
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' })}.${b64(claims({ aud: AUDIENCE }))}`;
      const confused = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
      const cases: [string, string][] = [
        [mintToken(wrong, claims({ aud: AUDIENCE })), 'token refused: signature'],
        [token(s.idp, 1, { exp: now - 3600 }), 'token refused: expired'],
        [token(s.idp, 0, { aud: 'another-app' }), 'token refused: audience'],
        [confused, 'token refused: algorithm'],
        [`${b64({ alg: 'none' })}.${b64(claims({ aud: AUDIENCE }))}.`, 'token refused: algorithm'],
      ];
      for (const [t, message] of cases) {
        const m = await refusal(s.ep, t);
        assert.equal(m?.params.code, 'unauthorized', message);
        assert.equal(m?.params.message, message);
      }
      assert.equal(s.auth.remote?.fetches, 1, 'no refusal above fetched the key set');
    } finally {
      await s.close();
    }
  });

  test('a key the IdP rotated in since: one refetch, accepted; later lines answered in order', async () => {
    const s = await setup();
    try {
      s.idp.publish(makeKey('ES256', 'ec-2'));
      s.idp.delayMs = 200;
      s.clock.advance(30_000); // past the refetch cooldown since the startup fetch
      const c = await s.ep.client({ connect: false });
      // One write: connect, then lines the session must hold until the refetch is done.
      c.sendRaw(
        [
          { action: 'connect', params: { token: token(s.idp, 0, { sub: 'rotated' }) } },
          { action: 'ping', params: { ts: 1 } },
          { action: 'no_such_action', params: {} },
          { action: 'ping', params: { ts: 2 } },
          { action: 'connect', params: {} },
          { action: 'ping', params: { ts: 3 } },
        ]
          .map((m) => `${JSON.stringify(m)}\n`)
          .join(''),
      );
      const got: string[] = [];
      for (let i = 0; i < 6; i++) got.push(describeMessage((await c.next(3000))!));
      assert.deepEqual(got, [
        'set_movies',
        'pong 1',
        'error unknown_action',
        'pong 2',
        'error already_connected',
        'pong 3',
      ]);
      assert.equal(s.auth.remote?.fetches, 2, 'one refetch');
      // The new key is known now: a second client connects without a fetch.
      const d = await s.ep.client({ connect: false });
      d.send('connect', { token: token(s.idp, 0) });
      await d.nextOf('set_movies');
      assert.equal(s.auth.remote?.fetches, 2);
    } finally {
      await s.close();
    }
  });

  test('an unknown kid within the cooldown is refused at once, without a fetch', async () => {
    const s = await setup();
    try {
      s.idp.publish(makeKey('RS256', 'rsa-2'));
      const m = await refusal(s.ep, token(s.idp, 0));
      assert.equal(m?.params.message, 'token refused: unknown_key');
      assert.equal(s.idp.requests, 1);
    } finally {
      await s.close();
    }
  });

  test('lines held behind a waiting connect are rate limited on arrival', async () => {
    const s = await setup();
    try {
      s.idp.publish(makeKey('RS256', 'rsa-2'));
      s.idp.delayMs = 200;
      s.clock.advance(30_000);
      const c = await s.ep.client({ connect: false });
      const lines = [{ action: 'connect', params: { token: token(s.idp, 0) } }];
      for (let ts = 1; ts <= 60; ts++) lines.push({ action: 'ping', params: { ts } } as never);
      c.sendRaw(lines.map((m) => `${JSON.stringify(m)}\n`).join(''));
      assert.equal((await c.next(3000))?.action, 'set_movies');
      const rest: string[] = [];
      for (;;) {
        const m = await c.next(500).catch(() => null);
        if (m === null) break;
        rest.push(describeMessage(m));
      }
      // The burst (40, the connect included) passes; one rate_limited error for the rest.
      const pongs = rest.filter((r) => r.startsWith('pong'));
      assert.ok(pongs.length >= 39 && pongs.length <= 41, `${pongs.length} pongs`);
      assert.deepEqual(
        pongs,
        pongs.map((_, i) => `pong ${i + 1}`),
        'in order',
      );
      assert.deepEqual(rest.slice(pongs.length), ['error rate_limited']);
    } finally {
      await s.close();
    }
  });

  test('an IdP that does not answer: internal_error (retryable), then the held lines', async () => {
    const s = await setup();
    try {
      s.idp.publish(makeKey('RS256', 'rsa-2'));
      s.clock.advance(30_000);
      s.idp.hang();
      const c = await s.ep.client({ connect: false });
      c.send('connect', { token: token(s.idp, 0) });
      c.send('ping', { ts: 7 });
      await until(() => s.idp.requests === 2);
      assert.equal(await c.silentFor(200), true, 'connect waits');
      s.clock.advance(5000); // the fetch's timeout (--auth-jwks-timeout-ms)
      const err = await c.next();
      assert.equal(err?.params.code, 'internal_error');
      assert.equal(err?.params.fatal, false);
      assert.equal(err?.params.in_reply_to, 'connect');
      assert.equal((await c.next())?.action, 'pong', 'the held ping, after it');
      // Still usable: the IdP answers again, connect is sent again and accepted.
      // The key set retries on its own (within 1.5 s after the first failure).
      s.idp.up();
      s.clock.advance(1500);
      await until(() => s.auth.remote?.healthy === true);
      c.send('connect', { token: token(s.idp, 0) });
      await c.nextOf('set_movies', 3000);
    } finally {
      await s.close();
    }
  });

  test('the handshake deadline runs while connect waits', async () => {
    const s = await setup({ handshakeTimeoutMs: 300, sweepIntervalMs: 50 });
    try {
      s.idp.publish(makeKey('RS256', 'rsa-2'));
      s.clock.advance(30_000);
      s.idp.hang();
      const c = await s.ep.client({ connect: false });
      c.send('connect', { token: token(s.idp, 0) });
      const err = await c.next(3000);
      assert.equal(err?.params.code, 'handshake_timeout');
      assert.equal(await c.next(), null);
    } finally {
      await s.close();
    }
  });
});

function b64(v: object): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function describeMessage(m: Message): string {
  if (m.action === 'pong') return `pong ${m.params.ts}`;
  if (m.action === 'error') return `error ${m.params.code}`;
  return m.action;
}

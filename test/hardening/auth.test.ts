/** Token auth: HS256 verification rules (RS256/ES256 and JWKS: test/auth/), the live `unauthorized` close, minting by CLI and shell. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { mintToken, verifyToken } from '../../src/auth/jwt.js';
import { secretKey } from '../../src/auth/keys.js';
import { TokenVerifier } from '../../src/auth/verifier.js';
import { runCli } from '../matching/cli.js';
import { startEndpoint } from '../support/endpoint.js';

const SECRET = 'test-secret-0123456789abcdef0123456789';
const KEYS = [secretKey(SECRET)];
const NOW = 1_800_000_000_000;
const now = () => NOW;
const sec = NOW / 1000;

function forge(header: object, payload: object, signature = ''): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b(header)}.${b(payload)}.${signature}`;
}

describe('jwt', () => {
  test('a valid token verifies and yields its claims', () => {
    const t = mintToken(SECRET, { exp: sec + 60, sub: 'user-1', nbf: sec - 1 });
    assert.deepEqual(verifyToken(t, KEYS, { now }), {
      ok: true,
      claims: { exp: sec + 60, nbf: sec - 1, sub: 'user-1' },
    });
  });

  test('expiry and nbf honour the clock skew, and only it', () => {
    const t = mintToken(SECRET, { exp: sec - 30 });
    assert.equal(verifyToken(t, KEYS, { now, clockSkewSeconds: 60 }).ok, true);
    assert.deepEqual(verifyToken(t, KEYS, { now, clockSkewSeconds: 10 }), {
      ok: false,
      reason: 'expired',
    });
    const early = mintToken(SECRET, { exp: sec + 600, nbf: sec + 30 });
    assert.equal(verifyToken(early, KEYS, { now, clockSkewSeconds: 60 }).ok, true);
    assert.deepEqual(verifyToken(early, KEYS, { now, clockSkewSeconds: 0 }), {
      ok: false,
      reason: 'not_yet_valid',
    });
  });

  test('forgeries are refused: wrong key, tampered payload, alg none, other algs', () => {
    const good = mintToken(SECRET, { exp: sec + 60, sub: 'a' });
    const [h, , s] = good.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ exp: sec + 60, sub: 'admin' })).toString('base64url')}.${s}`;
    const cases: [string, string][] = [
      [mintToken('another-secret-0123456789abcdef0123', { exp: sec + 60 }), 'signature'],
      [tampered, 'signature'],
      [forge({ alg: 'none', typ: 'JWT' }, { exp: sec + 60 }), 'algorithm'],
      [forge({ alg: 'HS512', typ: 'JWT' }, { exp: sec + 60 }, 'AAAA'), 'algorithm'],
      [forge({ alg: 'RS256' }, { exp: sec + 60 }, 'AAAA'), 'algorithm'],
      [`${h}.${s}`, 'malformed'],
      ['', 'malformed'],
      ['a.b.c.d', 'malformed'],
      [`${h}.!!!.${s}`, 'signature'],
      [`x${'a'.repeat(3000)}`, 'malformed'],
      [`${good}=`, 'malformed'],
    ];
    for (const [token, reason] of cases)
      assert.deepEqual(verifyToken(token, KEYS, { now }), { ok: false, reason }, token);
  });

  test('signed but ill-typed claims are malformed; exp is required', () => {
    for (const claims of [
      {},
      { exp: 'soon' },
      { exp: sec + 60, nbf: '1' },
      { exp: sec + 60, sub: 7 },
    ])
      assert.deepEqual(verifyToken(mintToken(SECRET, claims as never), KEYS, { now }), {
        ok: false,
        reason: 'malformed',
      });
  });

  test('the shell recipe of docs/SECURITY.md mints a token the endpoint accepts', () => {
    // Same steps as the doc: base64url(header).base64url(payload), HMAC-SHA256 via openssl.
    const script = `
      b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
      header=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | b64url)
      payload=$(printf '{"sub":"%s","exp":%d}' "user-42" $(( $(date +%s) + 3600 )) | b64url)
      sig=$(printf '%s' "$header.$payload" | openssl dgst -sha256 -hmac "$SECRET" -binary | b64url)
      printf '%s\\n' "$header.$payload.$sig"`;
    const token = execFileSync('bash', ['-c', script], {
      env: { ...process.env, SECRET },
      encoding: 'utf8',
    }).trim();
    const r = verifyToken(token, KEYS);
    assert.equal(r.ok, true);
    assert.equal(r.ok && r.claims.sub, 'user-42');
  });

  test('filmgrain token mints a token that verifies', async () => {
    const r = await runCli(['token', '--secret', SECRET, '--sub', 'dev', '--ttl', '120']);
    assert.equal(r.code, 0, r.stderr);
    const v = verifyToken(r.stdout.trim(), KEYS);
    assert.equal(v.ok, true);
    assert.equal(v.ok && v.claims.sub, 'dev');
    assert.ok(v.ok && v.claims.exp - Date.now() / 1000 <= 120);
  });
});

describe('auth on connect (live endpoint)', () => {
  test('missing, bad, expired and not-yet-valid tokens get unauthorized and a close', async () => {
    const ep = await startEndpoint({ auth: new TokenVerifier({ keys: KEYS }) });
    try {
      const t = Math.floor(Date.now() / 1000);
      const refused: (string | undefined)[] = [
        undefined,
        'not-a-token',
        mintToken('wrong-secret-0123456789abcdef012345', { exp: t + 60 }),
        mintToken(SECRET, { exp: t - 3600 }),
        mintToken(SECRET, { exp: t + 7200, nbf: t + 3600 }),
      ];
      for (const token of refused) {
        const c = await ep.client({ connect: false });
        c.send('connect', token === undefined ? {} : { token });
        const err = await c.nextOf('error');
        assert.equal(err.params.code, 'unauthorized', String(token));
        assert.equal(err.params.fatal, true);
        assert.equal(await c.next(), null, 'closed after the error');
      }
      // Nothing else is allowed before a successful connect either.
      const early = await ep.client({ connect: false });
      early.send('start_feed', { movie_id: 1 });
      assert.equal((await early.nextOf('error')).params.code, 'not_connected');

      const ok = await ep.client({ connect: false });
      ok.send('connect', { token: mintToken(SECRET, { exp: t + 60, sub: 'u1' }) });
      await ok.nextOf('set_movies');
      ok.send('ping', { ts: 5 });
      assert.equal((await ok.nextOf('pong')).params.ts, 5);
      assert.equal(ep.endpoint.stats.errors.get('unauthorized'), refused.length);
    } finally {
      await ep.close();
    }
  });

  test('without a secret, a token is accepted and ignored', async () => {
    const ep = await startEndpoint();
    try {
      const c = await ep.client({ connect: false });
      c.send('connect', { token: 'anything' });
      await c.nextOf('set_movies');
    } finally {
      await ep.close();
    }
  });
});

/**
 * RS256 and ES256 beside HS256 (src/auth/jwt.ts, keys.ts): what verifies, and every
 * confusion RFC 8725 § 2.1 warns of refused — an HS256 token "signed" with the RSA
 * public key as its secret, `alg: none`, a kid naming a key of another type, a JWK whose
 * kty/crv/alg does not fit. Cross-checked against openssl, an implementation of its own.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { mintToken, verifyToken } from '../../src/auth/jwt.js';
import {
  keyFromJwk,
  publicJwk,
  publicKeysFromPem,
  secretKey,
  type VerifyKey,
} from '../../src/auth/keys.js';
import { claims, makeKey } from '../support/fake-idp.js';

const SECRET = 'test-secret-0123456789abcdef0123456789';
const rsa = makeKey('RS256', 'rsa-1');
const ec = makeKey('ES256', 'ec-1');
const publicOf = (k: { key: Parameters<typeof createPublicKey>[0] }) =>
  createPublicKey(k.key).export({ type: 'spki', format: 'pem' }) as string;
const RSA_PEM = publicOf(rsa);
const EC_PEM = publicOf(ec);
/** The keys an endpoint with --auth-public-key (both keys) would hold. */
const PUBLIC: VerifyKey[] = [...publicKeysFromPem(RSA_PEM + EC_PEM)];
const jwkKey = (k: typeof rsa): VerifyKey => keyFromJwk(publicJwk(k)) as VerifyKey;

const b64 = (v: object | string) =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

describe('RS256 and ES256', () => {
  test('tokens signed by the private keys verify with the PEM public keys', () => {
    for (const key of [rsa, ec]) {
      const r = verifyToken(mintToken(key, claims({ sub: 'u1' })), PUBLIC);
      assert.equal(r.ok, true, key.alg);
      assert.equal(r.ok && r.claims.sub, 'u1');
    }
  });

  test('and with the same keys read from JWKS entries, the kid choosing', () => {
    const keys = [jwkKey(rsa), jwkKey(ec)];
    assert.equal(verifyToken(mintToken(rsa, claims()), keys).ok, true);
    assert.equal(verifyToken(mintToken(ec, claims()), keys).ok, true);
    // A kid we do not hold, with no kid-less key to try: unknown_key (a JWKS may refetch).
    const other = makeKey('RS256', 'rsa-2');
    assert.deepEqual(verifyToken(mintToken(other, claims()), keys), {
      ok: false,
      reason: 'unknown_key',
    });
  });

  test('a token signed by another key is refused', () => {
    const stranger = makeKey('ES256');
    assert.deepEqual(verifyToken(mintToken(stranger, claims()), PUBLIC), {
      ok: false,
      reason: 'signature',
    });
    assert.deepEqual(verifyToken(mintToken(makeKey('RS256'), claims()), PUBLIC), {
      ok: false,
      reason: 'signature',
    });
  });

  test('expired, not yet valid, tampered', () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = mintToken(rsa, { exp: now - 3600 });
    assert.deepEqual(verifyToken(expired, PUBLIC), { ok: false, reason: 'expired' });
    const early = mintToken(ec, { exp: now + 7200, nbf: now + 3600 });
    assert.deepEqual(verifyToken(early, PUBLIC), { ok: false, reason: 'not_yet_valid' });
    const [h, , s] = mintToken(rsa, claims()).split('.');
    const tampered = `${h}.${b64(claims({ sub: 'admin' }))}.${s}`;
    assert.deepEqual(verifyToken(tampered, PUBLIC), { ok: false, reason: 'signature' });
  });

  test('alg confusion: an HS256 token keyed with the public key PEM is refused', () => {
    // The classic attack: take the server's public key (it is public) and use its PEM
    // text as an HMAC secret. A verifier that let `alg` pick the key type would accept.
    const forged = (secret: string, extraHeader: object = {}) => {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', ...extraHeader })}.${b64(claims())}`;
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    };
    for (const pem of [RSA_PEM, EC_PEM]) {
      // No secret configured: no HS256 key at all.
      assert.deepEqual(verifyToken(forged(pem), PUBLIC), { ok: false, reason: 'algorithm' });
      // The kid of the RSA key: a key of another type than the token's alg.
      assert.deepEqual(verifyToken(forged(pem, { kid: 'rsa-1' }), [jwkKey(rsa)]), {
        ok: false,
        reason: 'algorithm',
      });
      // With a secret configured too: HS256 is checked against the secret only.
      assert.deepEqual(verifyToken(forged(pem), [secretKey(SECRET), ...PUBLIC]), {
        ok: false,
        reason: 'signature',
      });
    }
    // The same with the JWK's JSON as the "secret".
    const jwkText = JSON.stringify(publicJwk(rsa));
    assert.deepEqual(verifyToken(forged(jwkText), [jwkKey(rsa)]), {
      ok: false,
      reason: 'algorithm',
    });
  });

  test('alg none, other algs, a kid of another type, crit, a DER ES256 signature', () => {
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;
    const keys = [secretKey(SECRET), jwkKey(rsa), jwkKey(ec)];
    assert.deepEqual(verifyToken(none, keys), { ok: false, reason: 'algorithm' });
    for (const alg of ['RS512', 'PS256', 'ES384', 'EdDSA', 'HS512']) {
      const t = `${b64({ alg })}.${b64(claims())}.AAAA`;
      assert.deepEqual(verifyToken(t, keys), { ok: false, reason: 'algorithm' }, alg);
    }
    // An ES256 token whose kid names the RSA key: refused, not tried against it.
    const input = `${b64({ alg: 'ES256', kid: 'rsa-1' })}.${b64(claims())}`;
    const sig = sign('sha256', Buffer.from(input), { key: ec.key, dsaEncoding: 'ieee-p1363' });
    assert.deepEqual(verifyToken(`${input}.${sig.toString('base64url')}`, keys), {
      ok: false,
      reason: 'algorithm',
    });
    // A header with crit: an extension we do not implement (RFC 7515 § 4.1.11).
    const crit = `${b64({ alg: 'HS256', crit: ['b64'], b64: false })}.${b64(claims())}`;
    const critSig = createHmac('sha256', SECRET).update(crit).digest('base64url');
    assert.deepEqual(verifyToken(`${crit}.${critSig}`, keys), { ok: false, reason: 'malformed' });
    // ES256 with a DER (ASN.1) signature, as openssl emits it: not the JWS form.
    const der = `${b64({ alg: 'ES256', kid: 'ec-1' })}.${b64(claims())}`;
    const derSig = sign('sha256', Buffer.from(der), ec.key).toString('base64url');
    assert.deepEqual(verifyToken(`${der}.${derSig}`, keys), { ok: false, reason: 'signature' });
  });

  test('iss and aud are checked when the deployment names them', () => {
    const t = mintToken(rsa, claims({ iss: 'https://idp.example', aud: ['app', 'other'] }));
    assert.equal(
      verifyToken(t, PUBLIC, { issuer: 'https://idp.example', audience: 'app' }).ok,
      true,
    );
    assert.deepEqual(verifyToken(t, PUBLIC, { issuer: 'https://evil.example' }), {
      ok: false,
      reason: 'issuer',
    });
    assert.deepEqual(verifyToken(t, PUBLIC, { audience: 'third' }), {
      ok: false,
      reason: 'audience',
    });
    const bare = mintToken(rsa, claims());
    assert.deepEqual(verifyToken(bare, PUBLIC, { audience: 'app' }), {
      ok: false,
      reason: 'audience',
    });
    const badAud = mintToken(rsa, claims({ aud: [7] as never }));
    assert.deepEqual(verifyToken(badAud, PUBLIC), { ok: false, reason: 'malformed' });
  });

  test('tokens signed by openssl (RS256) verify: an independent implementation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-auth-'));
    const keyFile = join(dir, 'rsa.pem');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const script = `
      b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
      header=$(printf '%s' '{"alg":"RS256","typ":"JWT","kid":"k1"}' | b64url)
      payload=$(printf '{"sub":"%s","exp":%d}' "user-7" $(( $(date +%s) + 3600 )) | b64url)
      sig=$(printf '%s' "$header.$payload" | openssl dgst -sha256 -sign "$KEY" -binary | b64url)
      printf '%s\\n' "$header.$payload.$sig"`;
    const token = execFileSync('bash', ['-c', script], {
      env: { ...process.env, KEY: keyFile },
      encoding: 'utf8',
    }).trim();
    const keys = publicKeysFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const r = verifyToken(token, keys);
    assert.equal(r.ok && r.claims.sub, 'user-7');
  });
});

describe('keys', () => {
  test('PEM files: private keys, certificates, small RSA and other curves are refused by name', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey;
    const ed = generateKeyPairSync('ed25519').publicKey;
    const pem = (k: { export(o: object): string | Buffer }) =>
      String(k.export({ type: 'spki', format: 'pem' }));
    const cases: [string, RegExp][] = [
      ['', /no PEM block/],
      ['hello', /no PEM block/],
      [String(rsa.key.export({ type: 'pkcs8', format: 'pem' })), /private key.*-pubout/],
      ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', /certificate/],
      ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', /not a readable/],
      [pem(small), /1024 bits is too small/],
      [pem(p384), /secp384r1/],
      [pem(ed), /ed25519 key/],
      [RSA_PEM + pem(small), /PEM block 2: an RSA key of 1024 bits/],
    ];
    for (const [text, re] of cases) assert.throws(() => publicKeysFromPem(text), re, text);
    assert.deepEqual(
      publicKeysFromPem(RSA_PEM + EC_PEM).map((k) => k.alg),
      ['RS256', 'ES256'],
    );
  });

  test('JWKS entries that do not fit RS256/ES256 are skipped with a reason', () => {
    const r = publicJwk(rsa);
    const e = publicJwk(ec);
    const cases: [unknown, RegExp][] = [
      [{ ...r, alg: 'PS256' }, /alg "PS256"/],
      [{ ...r, alg: 'ES256' }, /alg "ES256"/],
      [{ ...e, alg: 'RS256' }, /alg "RS256"/],
      [{ ...e, crv: 'P-384' }, /crv "P-384"/],
      [{ ...r, use: 'enc' }, /use is "enc"/],
      [{ ...r, key_ops: ['encrypt'] }, /key_ops/],
      [{ kty: 'oct', k: 'c2VjcmV0', kid: 's' }, /symmetric/],
      [{ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }, /kty "OKP"/],
      [{ ...r, n: 'AAAA' }, /too small|not a valid/],
      [{ ...(rsa.key.export({ format: 'jwk' }) as object), kid: 'p' }, /private key/],
      ['nope', /not a JSON object/],
    ];
    for (const [jwk, re] of cases) {
      const got = keyFromJwk(jwk);
      assert.equal(typeof got, 'string', JSON.stringify(jwk));
      assert.match(got as string, re);
    }
    assert.equal((keyFromJwk(r) as VerifyKey).alg, 'RS256');
    assert.equal((keyFromJwk({ ...e, alg: undefined }) as VerifyKey).alg, 'ES256');
  });
});

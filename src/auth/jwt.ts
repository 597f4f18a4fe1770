/**
 * JSON Web Tokens (RFC 7519, the JWS compact form of RFC 7515) in HS256, RS256 and
 * ES256, verified and minted with node:crypto only, synchronously. Only what `connect`
 * needs:
 *
 * - The header's `alg` only *selects among* the keys we loaded, each bound to one
 *   algorithm at load (keys.ts); it never decides what kind of key to build (RFC 8725 §
 *   2.1). `none`, any other `alg`, and an `alg` with no key of ours are refused. A
 *   `kid` that names a key of another type is refused too.
 * - `crit` is refused: we understand no extension (RFC 7515 § 4.1.11). `jku`, `x5u`,
 *   `jwk` and `x5c` are ignored: keys come from configuration, never from the token.
 * - The signature is checked before any claim is read. ES256 signatures are the JWS
 *   form (R ‖ S, 64 bytes: RFC 7518 § 3.4), not DER.
 * - `exp` is required; `nbf`/`iat` are honoured; `iss` and `aud` are checked when the
 *   deployment names them; clock skew is an option.
 */
import {
  createHmac,
  sign as cryptoSign,
  verify as cryptoVerify,
  timingSafeEqual,
} from 'node:crypto';
import { ALGORITHMS, type Algorithm, type SigningKey, secretKey, type VerifyKey } from './keys.js';

export interface TokenClaims {
  /** Expiry, seconds since the epoch (required). */
  exp: number;
  /** Not before, seconds since the epoch. */
  nbf?: number;
  /** Issued at, seconds since the epoch. */
  iat?: number;
  /** Subject: the app's user id, for logs. */
  sub?: string;
  /** Issuer (checked against `--auth-issuer` when set). */
  iss?: string;
  /** Audience(s) (one must be `--auth-audience` when set). */
  aud?: string | string[];
}

export interface VerifyOptions {
  /** Seconds of tolerated clock difference between the minting backend and us. Default 60. */
  clockSkewSeconds?: number;
  /** When set, `iss` must equal it. */
  issuer?: string;
  /** When set, `aud` (a string or an array) must hold it. */
  audience?: string;
  /** The clock (ms since epoch), for tests. */
  now?: () => number;
}

export type RefusalReason =
  | 'malformed'
  | 'algorithm'
  | 'unknown_key'
  | 'signature'
  | 'expired'
  | 'not_yet_valid'
  | 'issuer'
  | 'audience';

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: RefusalReason };

/** A token split and its header read; nothing in it is trusted yet. */
export interface ParsedToken {
  alg: Algorithm;
  kid: string | undefined;
  signingInput: string;
  payload: string;
  signature: Buffer;
}

/** Longest token accepted (the protocol also caps `connect.token` at 2048 chars). */
const MAX_TOKEN_LENGTH = 2048;
const B64URL = /^[A-Za-z0-9_-]*$/;
/** ES256's JWS signature: R and S, 32 bytes each. */
const ES256_SIGNATURE_BYTES = 64;

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function parseSegment(segment: string): unknown {
  if (!B64URL.test(segment)) return undefined;
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isAlgorithm = (v: unknown): v is Algorithm =>
  typeof v === 'string' && (ALGORITHMS as readonly string[]).includes(v);

/** Splits a token and reads its header: 'malformed' or 'algorithm' when it cannot be one of ours. */
export function parseToken(token: string): ParsedToken | 'malformed' | 'algorithm' {
  if (token.length > MAX_TOKEN_LENGTH) return 'malformed';
  const parts = token.split('.');
  if (parts.length !== 3) return 'malformed';
  const [h = '', p = '', s = ''] = parts;
  const header = parseSegment(h);
  if (!isRecord(header)) return 'malformed';
  if (!isAlgorithm(header.alg)) return 'algorithm';
  if (header.crit !== undefined) return 'malformed';
  if (header.kid !== undefined && typeof header.kid !== 'string') return 'malformed';
  if (!B64URL.test(s)) return 'malformed';
  return {
    alg: header.alg,
    kid: header.kid,
    signingInput: `${h}.${p}`,
    payload: p,
    signature: Buffer.from(s, 'base64url'),
  };
}

/** Whether `key` (bound to one algorithm) signed `t`. */
export function signedBy(t: ParsedToken, key: VerifyKey): boolean {
  if (key.alg !== t.alg) return false;
  const data = Buffer.from(t.signingInput);
  switch (key.alg) {
    case 'HS256': {
      const expected = createHmac('sha256', key.key).update(data).digest();
      return t.signature.length === expected.length && timingSafeEqual(t.signature, expected);
    }
    case 'RS256':
      return cryptoVerify('sha256', data, key.key, t.signature);
    case 'ES256':
      return (
        t.signature.length === ES256_SIGNATURE_BYTES &&
        cryptoVerify('sha256', data, { key: key.key, dsaEncoding: 'ieee-p1363' }, t.signature)
      );
  }
}

/**
 * The keys that may have signed `t`, or why there are none. A `kid` picks the keys that
 * carry it (refused as 'algorithm' when none of them is of the token's `alg`); keys
 * without a kid (`--auth-secret`, `--auth-public-key`) are tried for any token of their
 * algorithm. `kidKnown` false: the token names a kid none of our keyed keys carries (a
 * JWKS may have it since: the caller may refetch), reported as `unknown_key`.
 */
export function keysFor(
  t: ParsedToken,
  keys: readonly VerifyKey[],
): { keys: VerifyKey[]; kidKnown: boolean } | 'algorithm' {
  const unnamed = keys.filter((k) => k.kid === undefined && k.alg === t.alg);
  if (t.kid === undefined) {
    const all = keys.filter((k) => k.alg === t.alg);
    return all.length === 0 ? 'algorithm' : { keys: all, kidKnown: true };
  }
  const named = keys.filter((k) => k.kid === t.kid);
  if (named.length > 0) {
    const fit = named.filter((k) => k.alg === t.alg);
    return fit.length === 0 ? 'algorithm' : { keys: [...fit, ...unnamed], kidKnown: true };
  }
  // Where no key has a kid (a secret, a PEM file) a token's kid tells nothing.
  return { keys: unnamed, kidKnown: !keys.some((k) => k.kid !== undefined) };
}

/** Signature against `keys`, then the claims: the whole check of one token. */
export function verifyParsed(
  t: ParsedToken,
  keys: readonly VerifyKey[],
  options: VerifyOptions = {},
): VerifyResult {
  const found = keysFor(t, keys);
  if (found === 'algorithm') return { ok: false, reason: 'algorithm' };
  // Signature before claims: nothing of an unsigned payload is trusted or reported.
  if (!found.keys.some((k) => signedBy(t, k)))
    return { ok: false, reason: found.kidKnown ? 'signature' : 'unknown_key' };
  return checkClaims(t.payload, options);
}

function checkClaims(segment: string, options: VerifyOptions): VerifyResult {
  const { clockSkewSeconds = 60, now = Date.now } = options;
  const payload = parseSegment(segment);
  if (!isRecord(payload) || !isTime(payload.exp)) return { ok: false, reason: 'malformed' };
  const { nbf, iat, sub, iss, aud } = payload;
  if (nbf !== undefined && !isTime(nbf)) return { ok: false, reason: 'malformed' };
  if (iat !== undefined && !isTime(iat)) return { ok: false, reason: 'malformed' };
  if (sub !== undefined && typeof sub !== 'string') return { ok: false, reason: 'malformed' };
  if (iss !== undefined && typeof iss !== 'string') return { ok: false, reason: 'malformed' };
  const audiences = aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
  if (!audiences.every((a) => typeof a === 'string')) return { ok: false, reason: 'malformed' };
  const t = now() / 1000;
  if (t >= payload.exp + clockSkewSeconds) return { ok: false, reason: 'expired' };
  if (nbf !== undefined && t < nbf - clockSkewSeconds)
    return { ok: false, reason: 'not_yet_valid' };
  if (options.issuer !== undefined && iss !== options.issuer)
    return { ok: false, reason: 'issuer' };
  if (options.audience !== undefined && !audiences.includes(options.audience))
    return { ok: false, reason: 'audience' };
  const claims: TokenClaims = { exp: payload.exp };
  if (nbf !== undefined) claims.nbf = nbf;
  if (iat !== undefined) claims.iat = iat;
  if (typeof sub === 'string') claims.sub = sub;
  if (typeof iss === 'string') claims.iss = iss;
  if (aud !== undefined) claims.aud = aud as string | string[];
  return { ok: true, claims };
}

/** Verifies `token` against `keys` (secret and/or public keys). */
export function verifyToken(
  token: string,
  keys: readonly VerifyKey[],
  options: VerifyOptions = {},
): VerifyResult {
  const t = parseToken(token);
  if (typeof t === 'string') return { ok: false, reason: t };
  return verifyParsed(t, keys, options);
}

/**
 * Mints a token (what an app backend or an IdP does; `filmgrain token` and tests use
 * it): HS256 with a secret, RS256/ES256 with a private key (its `kid` in the header).
 */
export function mintToken(key: string | Buffer | SigningKey, claims: TokenClaims): string {
  const signer: SigningKey = typeof key === 'string' || Buffer.isBuffer(key) ? secretKey(key) : key;
  const header = {
    alg: signer.alg,
    typ: 'JWT',
    ...(signer.kid === undefined ? {} : { kid: signer.kid }),
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const data = Buffer.from(input);
  const signature =
    signer.alg === 'HS256'
      ? createHmac('sha256', signer.key).update(data).digest()
      : cryptoSign(
          'sha256',
          data,
          signer.alg === 'ES256' ? { key: signer.key, dsaEncoding: 'ieee-p1363' } : signer.key,
        );
  return `${input}.${b64url(signature)}`;
}

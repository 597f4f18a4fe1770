/**
 * HS256 JSON Web Tokens (RFC 7519 with the JWS compact form of RFC 7515), verified and
 * minted with node:crypto only. Only what `connect` needs: `alg` must be HS256 (the
 * `none` and RS/HS confusion attacks of RFC 8725 § 2.1 are refused by never reading a
 * key type from the token), `exp` is required, `nbf`/`iat` are honoured, clock skew is
 * an option. The signature is compared with `timingSafeEqual`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** Expiry, seconds since the epoch (required). */
  exp: number;
  /** Not before, seconds since the epoch. */
  nbf?: number;
  /** Issued at, seconds since the epoch. */
  iat?: number;
  /** Subject: the app's user id, for logs. */
  sub?: string;
}

export interface VerifyOptions {
  /** Seconds of tolerated clock difference between the minting backend and us. Default 60. */
  clockSkewSeconds?: number;
  /** The clock (ms since epoch), for tests. */
  now?: () => number;
}

export type VerifyResult =
  | { ok: true; claims: TokenClaims }
  | {
      ok: false;
      reason: 'malformed' | 'algorithm' | 'signature' | 'expired' | 'not_yet_valid';
    };

/** Longest token accepted (the protocol also caps `connect.token` at 2048 chars). */
const MAX_TOKEN_LENGTH = 2048;
const B64URL = /^[A-Za-z0-9_-]*$/;
const HEADER = { alg: 'HS256', typ: 'JWT' } as const;

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function sign(secret: string | Buffer, signingInput: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
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

/** Mints a token (what an app backend does; `filmgrain token` and tests use it). */
export function mintToken(secret: string | Buffer, claims: TokenClaims): string {
  const input = `${b64url(JSON.stringify(HEADER))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign(secret, input))}`;
}

export function verifyToken(
  token: string,
  secret: string | Buffer,
  options: VerifyOptions = {},
): VerifyResult {
  const { clockSkewSeconds = 60, now = Date.now } = options;
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [h = '', p = '', s = ''] = parts;
  const header = parseSegment(h);
  if (!isRecord(header)) return { ok: false, reason: 'malformed' };
  if (header.alg !== 'HS256') return { ok: false, reason: 'algorithm' };
  if (!B64URL.test(s)) return { ok: false, reason: 'malformed' };
  // Signature before claims: nothing of an unsigned payload is trusted or reported.
  const expected = sign(secret, `${h}.${p}`);
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature' };
  const payload = parseSegment(p);
  if (!isRecord(payload) || !isTime(payload.exp)) return { ok: false, reason: 'malformed' };
  if (payload.nbf !== undefined && !isTime(payload.nbf)) return { ok: false, reason: 'malformed' };
  if (payload.iat !== undefined && !isTime(payload.iat)) return { ok: false, reason: 'malformed' };
  if (payload.sub !== undefined && typeof payload.sub !== 'string')
    return { ok: false, reason: 'malformed' };
  const t = now() / 1000;
  if (t >= payload.exp + clockSkewSeconds) return { ok: false, reason: 'expired' };
  if (payload.nbf !== undefined && t < payload.nbf - clockSkewSeconds)
    return { ok: false, reason: 'not_yet_valid' };
  const claims: TokenClaims = { exp: payload.exp };
  if (payload.nbf !== undefined) claims.nbf = payload.nbf;
  if (payload.iat !== undefined) claims.iat = payload.iat;
  if (typeof payload.sub === 'string') claims.sub = payload.sub;
  return { ok: true, claims };
}

/**
 * How `connect` tokens are checked: the options, declared once (src/options/declare.ts).
 * Any of the three key sources turns authentication on; they combine (a token is
 * checked against the keys of its own `alg` only: keys.ts).
 */
import { int, type OptionValues, str } from '../options/declare.js';
import { checkJwksUrl } from './jwks.js';
import { MIN_SECRET_BYTES } from './keys.js';

export const AUTH_OPTIONS = {
  /**
   * When set, `connect` may carry an HS256 token signed with this secret. Default: none.
   */
  authSecret: str({
    flag: 'auth-secret',
    env: 'FILMGRAIN_AUTH_SECRET',
    value: 'SECRET',
    doc: 'require connect tokens; HS256 ones are signed with this secret (default: no auth)',
    // HS256 keys shorter than the hash are brute-forceable (RFC 7518 § 3.2: ≥ 256 bits).
    check: (v) =>
      Buffer.byteLength(v) < MIN_SECRET_BYTES
        ? `must be at least ${MIN_SECRET_BYTES} bytes (RFC 7518 § 3.2)`
        : null,
  }),
  /** A PEM file of one or more public keys (SPKI): RSA ≥ 2048 bits (RS256) or EC P-256 (ES256). */
  authPublicKey: str({
    flag: 'auth-public-key',
    env: 'FILMGRAIN_AUTH_PUBLIC_KEY',
    value: 'FILE',
    doc: 'require connect tokens; RS256/ES256 ones verify with a public key of this PEM file',
  }),
  /**
   * An identity provider's JWKS (RFC 7517): keys chosen by `kid`, refreshed, refetched
   * for an unknown kid. The endpoint waits for its first document before it listens.
   */
  authJwksUrl: str({
    flag: 'auth-jwks-url',
    env: 'FILMGRAIN_AUTH_JWKS_URL',
    value: 'URL',
    doc: 'require connect tokens; RS256/ES256 ones verify with a key of this JWKS (https)',
    check: checkJwksUrl,
  }),
  /** When set, a token's `iss` must equal it. */
  authIssuer: str({
    flag: 'auth-issuer',
    env: 'FILMGRAIN_AUTH_ISSUER',
    value: 'ISS',
    doc: 'tokens must carry this iss (the IdP issuer)',
  }),
  /** When set, a token's `aud` must hold it (set it with a shared IdP's JWKS). */
  authAudience: str({
    flag: 'auth-audience',
    env: 'FILMGRAIN_AUTH_AUDIENCE',
    value: 'AUD',
    doc: 'tokens must carry this aud (set it whenever the IdP serves other apps too)',
  }),
  /** Tolerated clock difference for token `exp`/`nbf`, in seconds. */
  authClockSkewSeconds: int({
    flag: 'auth-clock-skew',
    env: 'FILMGRAIN_AUTH_CLOCK_SKEW',
    default: 60,
    // Past an hour a revoked (expired) token would stay usable for too long.
    min: 0,
    max: 3600,
    value: 'S',
    doc: 'seconds of clock difference tolerated on token exp/nbf',
  }),
  /** Background refresh of the JWKS (sooner when its Cache-Control max-age says so). */
  authJwksRefreshSeconds: int({
    flag: 'auth-jwks-refresh',
    env: 'FILMGRAIN_AUTH_JWKS_REFRESH',
    default: 600,
    // Below the refetch cooldown a refresh would be the rate limit's business; past a
    // day a key the IdP withdrew (compromised) stays trusted too long.
    min: 30,
    max: 86_400,
    value: 'S',
    doc: 'seconds between JWKS refreshes (sooner if its max-age is shorter)',
  }),
  /** Least time between two JWKS fetches that unknown `kid`s start. */
  authJwksCooldownSeconds: int({
    flag: 'auth-jwks-cooldown',
    env: 'FILMGRAIN_AUTH_JWKS_COOLDOWN',
    default: 30,
    // At least 1 s: tokens with made-up kids must not turn into a fetch each.
    min: 1,
    max: 3600,
    value: 'S',
    doc: 'seconds: an unknown kid refetches the JWKS at most this often',
  }),
  /** A JWKS fetch's bound, and so how long a `connect` with an unknown kid waits. */
  authJwksTimeoutMs: int({
    flag: 'auth-jwks-timeout-ms',
    env: 'FILMGRAIN_AUTH_JWKS_TIMEOUT_MS',
    default: 5000,
    // A connect must be answered within its 10 s handshake deadline (PROTOCOL.md § 7).
    min: 100,
    max: 10_000,
    value: 'MS',
    doc: 'JWKS request timeout; a connect with an unknown kid waits at most this long',
  }),
} as const;

export type AuthConfig = OptionValues<typeof AUTH_OPTIONS>;

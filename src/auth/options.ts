/** How `connect` tokens are checked: the options, declared once (src/options/declare.ts). */
import { int, str } from '../options/declare.js';

export const AUTH_OPTIONS = {
  /**
   * When set, `connect` must carry an HS256 token signed with this secret
   * (`unauthorized` otherwise). Default: none (no authentication).
   */
  authSecret: str({
    flag: 'auth-secret',
    env: 'FILMGRAIN_AUTH_SECRET',
    value: 'SECRET',
    doc: 'require connect tokens (HS256 JWT) signed with this secret (default: no auth)',
    // HS256 keys shorter than the hash are brute-forceable (RFC 7518 § 3.2: ≥ 256 bits).
    check: (v) => (Buffer.byteLength(v) < 32 ? 'must be at least 32 bytes (RFC 7518 § 3.2)' : null),
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
} as const;

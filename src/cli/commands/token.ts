/**
 * `filmgrain token`: mints a development connect token (HS256 JWT) with the endpoint's
 * `--auth-secret`. Production tokens come from the app's backend (docs/SECURITY.md §
 * Minting tokens); this is the same algorithm, for trying auth locally and for tests.
 */
import { mintToken, type TokenClaims } from '../../auth/jwt.js';
import { AUTH_OPTIONS } from '../../auth/options.js';
import { int, str } from '../../options/declare.js';
import type { Command } from '../command.js';
import { parseCommand, UsageError } from '../flags.js';

const TOKEN_OPTIONS = {
  // The endpoint's --auth-secret (same env var and the same ≥ 32-byte rule), as --secret.
  secret: {
    ...AUTH_OPTIONS.authSecret,
    flag: 'secret',
    doc: 'the endpoint secret (the same as its --auth-secret)',
  },
  sub: str({ flag: 'sub', value: 'ID', doc: 'subject: the app user id (optional)' }),
  ttl: int({
    flag: 'ttl',
    default: 3600,
    min: 1,
    // A development token; a year is past any sensible session.
    max: 31_536_000,
    value: 'S',
    doc: 'seconds until the token expires',
  }),
  notBefore: int({
    flag: 'not-before',
    default: undefined,
    min: 0,
    max: 31_536_000,
    value: 'S',
    doc: 'seconds from now before the token is valid (sets nbf)',
  }),
} as const;

export const command: Command = {
  summary: 'mint a development connect token (HS256 JWT) for an endpoint with --auth-secret',
  async run(argv) {
    const parsed = parseCommand(
      argv,
      { token: TOKEN_OPTIONS },
      'usage: filmgrain token --secret SECRET [options]',
    );
    if (parsed === null) return 0;
    const t = parsed.token;
    if (t.secret === undefined)
      throw new UsageError('--secret (or FILMGRAIN_AUTH_SECRET) is required');
    const now = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = { iat: now, exp: now + (t.ttl ?? TOKEN_OPTIONS.ttl.default) };
    if (t.notBefore !== undefined) claims.nbf = now + t.notBefore;
    if (t.sub !== undefined) claims.sub = t.sub;
    console.log(mintToken(t.secret, claims));
    return 0;
  },
};

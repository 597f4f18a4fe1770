/**
 * `filmgrain token`: mints a development connect token (HS256 JWT) with the endpoint's
 * `--auth-secret`. Production tokens come from the app's backend (docs/SECURITY.md §
 * Minting tokens); this is the same algorithm, for trying auth locally and for tests.
 */
import { mintToken, type TokenClaims } from '../../auth/jwt.js';
import type { Command } from '../command.js';
import { intFlag, parseFlags } from '../flags.js';

const FLAGS = {
  secret: {
    type: 'string',
    env: 'FILMGRAIN_AUTH_SECRET',
    value: 'SECRET',
    help: 'the endpoint secret (the same as its --auth-secret)',
  },
  sub: { type: 'string', value: 'ID', help: 'subject: the app user id (optional)' },
  ttl: {
    type: 'string',
    default: '3600',
    value: 'S',
    help: 'seconds until the token expires',
  },
  'not-before': {
    type: 'string',
    value: 'S',
    help: 'seconds from now before the token is valid (sets nbf)',
  },
} as const;

export const command: Command = {
  summary: 'mint a development connect token (HS256 JWT) for an endpoint with --auth-secret',
  async run(argv) {
    const flags = parseFlags(argv, FLAGS, 'usage: filmgrain token --secret SECRET [options]');
    if (flags === null) return 0;
    if (flags.secret === undefined)
      throw new Error('--secret (or FILMGRAIN_AUTH_SECRET) is required');
    const now = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = { iat: now, exp: now + intFlag('ttl', flags.ttl, 3600) };
    if (flags['not-before'] !== undefined)
      claims.nbf = now + intFlag('not-before', flags['not-before'], 0);
    if (flags.sub !== undefined) claims.sub = flags.sub;
    console.log(mintToken(flags.secret, claims));
    return 0;
  },
};

/**
 * `filmgrain token`: mints a development connect token — HS256 with the endpoint's
 * `--auth-secret`, or RS256/ES256 with a private key whose public half the endpoint
 * has (`--auth-public-key`, or a JWKS: `--jwks` prints one for the key). Production
 * tokens come from the app's backend or its identity provider (docs/SECURITY.md §
 * Minting tokens); this is the same format, for trying auth locally and for tests.
 */
import { readFile } from 'node:fs/promises';
import { mintToken, type TokenClaims } from '../../auth/jwt.js';
import { KeyError, publicJwk, type SigningKey, signingKeyFromPem } from '../../auth/keys.js';
import { AUTH_OPTIONS } from '../../auth/options.js';
import { flag, int, str } from '../../options/declare.js';
import type { Command } from '../command.js';
import { parseCommand, UsageError } from '../flags.js';

const TOKEN_OPTIONS = {
  // The endpoint's --auth-secret (same env var and the same ≥ 32-byte rule), as --secret.
  secret: {
    ...AUTH_OPTIONS.authSecret,
    flag: 'secret',
    doc: 'HS256: the endpoint secret (the same as its --auth-secret)',
  },
  privateKey: str({
    flag: 'private-key',
    value: 'FILE',
    doc: 'RS256/ES256: a PEM private key (RSA ≥ 2048 bits or EC P-256) instead of --secret',
  }),
  kid: str({ flag: 'kid', value: 'KID', doc: 'the key id put in the header (with --private-key)' }),
  jwks: flag({
    flag: 'jwks',
    doc: 'print the JWKS document of --private-key (its public key) instead of a token',
  }),
  sub: str({ flag: 'sub', value: 'ID', doc: 'subject: the app user id (optional)' }),
  iss: str({ flag: 'iss', value: 'ISS', doc: 'issuer (for an endpoint with --auth-issuer)' }),
  aud: str({ flag: 'aud', value: 'AUD', doc: 'audience (for an endpoint with --auth-audience)' }),
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

async function readSigningKey(file: string, kid: string | undefined): Promise<SigningKey> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`--private-key ${file}: cannot read it (${e.code ?? e.message})`);
  }
  try {
    return signingKeyFromPem(pem, kid);
  } catch (err) {
    if (err instanceof KeyError) throw new UsageError(`--private-key ${file} ${err.message}`);
    throw err;
  }
}

export const command: Command = {
  summary: 'mint a development connect token (HS256 with --secret, RS256/ES256 with --private-key)',
  async run(argv) {
    const parsed = parseCommand(
      argv,
      { token: TOKEN_OPTIONS },
      'usage: filmgrain token (--secret SECRET | --private-key FILE [--kid KID]) [options]',
    );
    if (parsed === null) return 0;
    const t = parsed.token;
    if (t.privateKey !== undefined && t.secret !== undefined)
      throw new UsageError('give --secret or --private-key, not both');
    if (t.privateKey === undefined) {
      if (t.jwks || t.kid !== undefined)
        throw new UsageError(`--${t.jwks ? 'jwks' : 'kid'} goes with --private-key`);
      if (t.secret === undefined)
        throw new UsageError('--secret (or FILMGRAIN_AUTH_SECRET) or --private-key is required');
    }
    const key = t.privateKey === undefined ? t.secret! : await readSigningKey(t.privateKey, t.kid);
    if (t.jwks) {
      console.log(JSON.stringify({ keys: [publicJwk(key as SigningKey)] }));
      return 0;
    }
    const now = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = { iat: now, exp: now + (t.ttl ?? TOKEN_OPTIONS.ttl.default) };
    if (t.notBefore !== undefined) claims.nbf = now + t.notBefore;
    if (t.sub !== undefined) claims.sub = t.sub;
    if (t.iss !== undefined) claims.iss = t.iss;
    if (t.aud !== undefined) claims.aud = t.aud;
    console.log(mintToken(key, claims));
    return 0;
  },
};

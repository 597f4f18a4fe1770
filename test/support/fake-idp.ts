/**
 * A fake identity provider's JWKS endpoint: a real HTTP (or HTTPS) server on 127.0.0.1
 * that serves `GET /.well-known/jwks.json` as IdPs do — RFC 7517 § 5 `{"keys": [...]}`,
 * `Content-Type: application/json; charset=UTF-8`, a `Cache-Control: public, max-age=N`
 * header, each key with `kty`, `use: "sig"`, `alg`, `kid`, the public members and an
 * `x5t` (as Google's and Auth0's key sets carry; we ignore it). The signing keys are
 * made here, so a test mints tokens with them and rotates them like an IdP does
 * (publish a new key, drop an old one). `down()` answers 503, `hang()` never answers.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mintToken, type TokenClaims } from '../../src/auth/jwt.js';
import { publicJwk, type SigningKey } from '../../src/auth/keys.js';
import type { TlsMaterial } from '../../src/endpoint/tls-settings.js';

export type KeyKind = 'RS256' | 'ES256';

/** A fresh signing key of `kind` named `kid` (RSA 2048, or EC P-256). */
export function makeKey(kind: KeyKind, kid?: string): SigningKey {
  const { privateKey } =
    kind === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { alg: kind, kid, key: privateKey };
}

/** Claims valid for an hour from now, plus `extra`. */
export function claims(extra: Partial<TokenClaims> = {}): TokenClaims {
  const now = Math.floor(Date.now() / 1000);
  return { iat: now, exp: now + 3600, ...extra };
}

export interface FakeIdp {
  /** The JWKS URL. */
  url: string;
  port: number;
  /** Requests served (any answer). */
  requests: number;
  /** The keys published now (first = the one `token()` signs with). */
  keys: SigningKey[];
  /** Publishes `key` (first), as an IdP does before signing with it. */
  publish(key: SigningKey): void;
  /** Stops publishing the key with `kid`. */
  retire(kid: string): void;
  /** A token signed by the current (first) key. */
  token(extra?: Partial<TokenClaims>): string;
  /** Answers 503 until `up()`. */
  down(): void;
  /** Accepts requests and never answers until `up()`. */
  hang(): void;
  up(): void;
  /** `Cache-Control: max-age` sent (seconds); null sends no Cache-Control. */
  maxAge: number | null;
  /** Each answer waits this long (a slow IdP), ms. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startFakeIdp(
  options: { keys?: SigningKey[]; port?: number; tls?: TlsMaterial } = {},
): Promise<FakeIdp> {
  let mode: 'up' | 'down' | 'hang' = 'up';
  const hanging: ServerResponse[] = [];
  const idp: FakeIdp = {
    url: '',
    port: 0,
    requests: 0,
    keys: options.keys ?? [makeKey('RS256', 'key-1')],
    maxAge: 3600,
    delayMs: 0,
    publish(key) {
      idp.keys.unshift(key);
    },
    retire(kid) {
      idp.keys = idp.keys.filter((k) => k.kid !== kid);
    },
    token(extra) {
      return mintToken(idp.keys[0]!, claims(extra));
    },
    down() {
      mode = 'down';
    },
    hang() {
      mode = 'hang';
    },
    up() {
      mode = 'up';
      for (const res of hanging.splice(0)) res.destroy();
    },
    close: () => Promise.resolve(),
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    idp.requests++;
    if (mode === 'hang') {
      hanging.push(res);
      return;
    }
    if (mode === 'down' || req.url !== '/.well-known/jwks.json') {
      res.writeHead(mode === 'down' ? 503 : 404, { 'content-type': 'text/html' });
      res.end('<html><body>Service Unavailable</body></html>');
      return;
    }
    const body = JSON.stringify(
      {
        keys: idp.keys.map((k) => ({
          ...publicJwk(k),
          x5t: Buffer.from(`thumbprint-${k.kid}`).toString('base64url'),
        })),
      },
      null,
      2,
    );
    const headers = {
      'content-type': 'application/json; charset=UTF-8',
      ...(idp.maxAge === null ? {} : { 'cache-control': `public, max-age=${idp.maxAge}` }),
      'content-length': Buffer.byteLength(body),
    };
    setTimeout(() => {
      res.writeHead(200, headers);
      res.end(body);
    }, idp.delayMs);
  };
  const server = options.tls
    ? createHttps({ cert: options.tls.cert, key: options.tls.key }, handle)
    : createHttp(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  idp.port = (server.address() as AddressInfo).port;
  idp.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${idp.port}/.well-known/jwks.json`;
  idp.close = () => {
    idp.up();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return idp;
}

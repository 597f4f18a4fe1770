/**
 * A JWKS document (RFC 7517 § 5: `{"keys": [JWK, …]}`) fetched over HTTPS, as an
 * identity provider serves it at its `jwks_uri` (OpenID Connect Discovery 1.0 § 3).
 *
 * - Only `https:`, or `http:` to a loopback address (a local IdP in development, tests):
 *   a key set read over plain HTTP from elsewhere could be swapped by anyone on the path.
 * - Bounded: the response within `timeoutMs`, at most MAX_JWKS_BYTES, at most MAX_KEYS
 *   usable keys. No redirects are followed (a JWKS URL that moved is a configuration to fix).
 * - `Cache-Control: max-age` is read so the caller can refresh sooner than its period.
 */
import http from 'node:http';
import https from 'node:https';
import { after, type Clock } from '../clock/clock.js';
import { keyFromJwk, type VerifyKey } from './keys.js';

/** A real key set is a few KB (Google's: ~1.5 KB); anything near this is not one. */
export const MAX_JWKS_BYTES = 256 * 1024;
/** Usable keys kept from one document: a token without `kid` is tried against each. */
export const MAX_KEYS = 32;

export class JwksError extends Error {}

export interface JwksDocument {
  keys: VerifyKey[];
  /** Entries not used, and why (logged: an operator sees a key of the wrong type). */
  skipped: { kid: string | undefined; why: string }[];
}

export interface FetchedJwks extends JwksDocument {
  /** `Cache-Control: max-age`, seconds, when the response had one. */
  maxAgeSeconds: number | undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Why `text` is not a JWKS URL we fetch, or null (an option's `check`). */
export function checkJwksUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `is not a URL: "${text}"`;
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:')
    return isLoopback(url.hostname)
      ? null
      : 'must be https:// (http:// only to a loopback address, for development)';
  return `must be an https:// URL, not ${url.protocol}`;
}

/** Reads a JWKS document's text: its usable keys, and the entries skipped. */
export function parseJwks(text: string): JwksDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new JwksError('the response is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { keys?: unknown }).keys))
    throw new JwksError('the response is not a JWKS document ({"keys": [...]})');
  const out: JwksDocument = { keys: [], skipped: [] };
  for (const jwk of (doc as { keys: unknown[] }).keys) {
    const kid =
      typeof (jwk as { kid?: unknown })?.kid === 'string'
        ? (jwk as { kid: string }).kid
        : undefined;
    const key = keyFromJwk(jwk);
    if (typeof key === 'string') out.skipped.push({ kid, why: key });
    else if (out.keys.length >= MAX_KEYS)
      out.skipped.push({ kid, why: `more than ${MAX_KEYS} usable keys` });
    else out.keys.push(key);
  }
  if (out.keys.length === 0)
    throw new JwksError(
      `the document holds no usable RS256/ES256 key${out.skipped.length === 0 ? '' : ` (${out.skipped.map((s) => `${s.kid ?? '?'}: ${s.why}`).join('; ')})`}`,
    );
  return out;
}

/** `max-age` of a Cache-Control header, seconds (`no-store`/`no-cache` read as 0). */
export function maxAgeOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (/(^|,)\s*(no-store|no-cache)\s*(,|$)/i.test(header)) return 0;
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?\s*(?:,|$)/i.exec(header);
  return m === null ? undefined : Number(m[1]);
}

export interface FetchOptions {
  timeoutMs: number;
  clock: Clock;
  /** CAs to trust for an https:// URL (tests); default: Node's (and NODE_EXTRA_CA_CERTS). */
  ca?: string | Buffer;
}

/** GETs and parses the key set; rejects with a JwksError that says what went wrong. */
export function fetchJwks(url: string, options: FetchOptions): Promise<FetchedJwks> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:');
    const get = secure ? https.get : http.get;
    let settled = false;
    let cancel = () => {};
    const done = (err: Error | null, value?: FetchedJwks) => {
      if (settled) return;
      settled = true;
      cancel();
      if (err) reject(err instanceof JwksError ? err : new JwksError(err.message));
      else resolve(value!);
    };
    const req = get(
      url,
      {
        headers: { accept: 'application/jwk-set+json, application/json' },
        ...(secure && options.ca !== undefined ? { ca: options.ca } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          res.resume();
          const where = res.headers.location ? ` to ${res.headers.location}` : '';
          done(new JwksError(`HTTP ${status}${where} (expected 200 and the key set)`));
          return;
        }
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > MAX_JWKS_BYTES) {
            req.destroy();
            done(new JwksError(`the response is larger than ${MAX_JWKS_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err) => done(err));
        res.on('end', () => {
          try {
            const doc = parseJwks(Buffer.concat(chunks).toString('utf8'));
            done(null, { ...doc, maxAgeSeconds: maxAgeOf(res.headers['cache-control']) });
          } catch (err) {
            done(err as Error);
          }
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      done(new JwksError(err.code ? `${err.code}: ${err.message}` : err.message)),
    );
    cancel = after(options.clock, options.timeoutMs, () => {
      req.destroy();
      done(new JwksError(`no complete answer within ${options.timeoutMs} ms`));
    });
  });
}

/**
 * What `connect` asks: is this token good? The keys of a deployment — a shared secret
 * (HS256), public keys from a PEM file and/or a JWKS URL (RS256, ES256) — and its claim
 * rules (issuer, audience, clock skew), behind one `check`.
 *
 * `check` is synchronous whenever the keys at hand decide, which is every token but one
 * case: a token whose `kid` no key of ours carries while a JWKS URL is configured (the
 * IdP may have rotated since our last refresh). Then it returns a Promise that settles
 * after one refetch (rate limited, bounded in time: remote-keys.ts), and the caller
 * holds the connection's later messages until it does (Session).
 */
import { readFile } from 'node:fs/promises';
import { type Clock, realClock } from '../clock/clock.js';
import { defaultsOf } from '../options/declare.js';
import { parseToken, type VerifyOptions, type VerifyResult, verifyParsed } from './jwt.js';
import { KeyError, publicKeysFromPem, secretKey, type VerifyKey } from './keys.js';
import { AUTH_OPTIONS, type AuthConfig } from './options.js';
import { type AuthLog, RemoteKeySet } from './remote-keys.js';

/**
 * `keys_unavailable`: the token names a key we do not hold and the JWKS could not be
 * fetched to look for it — not the token's fault; the endpoint answers with a
 * retryable error instead of `unauthorized`.
 */
export type CheckResult = VerifyResult | { ok: false; reason: 'keys_unavailable' };

/** What the endpoint needs of a verifier (tests may pass their own). */
export interface TokenCheck {
  check(token: string): CheckResult | Promise<CheckResult>;
}

export interface TokenVerifierOptions {
  /** Keys given directly (secret, PEM). */
  keys?: readonly VerifyKey[];
  /** A JWKS URL's keys. */
  remote?: RemoteKeySet;
  issuer?: string;
  audience?: string;
  clockSkewSeconds?: number;
  clock?: Clock;
}

export class TokenVerifier implements TokenCheck {
  readonly remote: RemoteKeySet | undefined;
  private readonly fixed: readonly VerifyKey[];
  private readonly policy: VerifyOptions;
  private all: readonly VerifyKey[];
  private allVersion = -1;

  constructor(o: TokenVerifierOptions) {
    this.fixed = o.keys ?? [];
    this.remote = o.remote;
    this.all = this.fixed;
    const clock = o.clock ?? realClock;
    this.policy = {
      clockSkewSeconds: o.clockSkewSeconds ?? AUTH_OPTIONS.authClockSkewSeconds.default,
      now: () => clock.now(),
      ...(o.issuer === undefined ? {} : { issuer: o.issuer }),
      ...(o.audience === undefined ? {} : { audience: o.audience }),
    };
  }

  /** The fixed keys and the JWKS's current ones (one array per JWKS document). */
  private keys(): readonly VerifyKey[] {
    const r = this.remote;
    if (r !== undefined && r.version !== this.allVersion) {
      this.all = [...this.fixed, ...r.keys];
      this.allVersion = r.version;
    }
    return this.all;
  }

  check(token: string): CheckResult | Promise<CheckResult> {
    const t = parseToken(token);
    if (typeof t === 'string') return { ok: false, reason: t };
    const first = verifyParsed(t, this.keys(), this.policy);
    const remote = this.remote;
    // Only a JWKS can bring a key we lack, and never an HS256 one.
    if (first.ok || first.reason !== 'unknown_key' || remote === undefined || t.alg === 'HS256')
      return first;
    const unknown = (): CheckResult =>
      remote.healthy ? first : { ok: false, reason: 'keys_unavailable' };
    const fetched = remote.refetch();
    if (fetched === null) return unknown();
    return fetched.then(() => {
      const again = verifyParsed(t, this.keys(), this.policy);
      return !again.ok && again.reason === 'unknown_key' ? unknown() : again;
    });
  }

  /** Resolves when the keys can be used: at once, or after the JWKS's first document. */
  ready(): Promise<void> {
    return this.remote?.ready() ?? Promise.resolve();
  }

  close(): void {
    this.remote?.close();
  }
}

/** A configuration that cannot work, named (the CLI exits with it). */
export class AuthConfigError extends Error {}

export interface LoadContext {
  log: AuthLog;
  clock?: Clock;
  /** CAs for an https:// JWKS URL (tests). */
  jwksCa?: string | Buffer;
}

/**
 * The verifier a configuration asks for, its JWKS fetch started (await `ready()` before
 * accepting clients); undefined when no key is configured (no authentication).
 */
export async function loadVerifier(
  config: Partial<AuthConfig>,
  ctx: LoadContext,
): Promise<TokenVerifier | undefined> {
  const {
    authSecret,
    authPublicKey,
    authJwksUrl,
    authIssuer,
    authAudience,
    authClockSkewSeconds,
    authJwksRefreshSeconds,
    authJwksCooldownSeconds,
    authJwksTimeoutMs,
  } = { ...defaultsOf(AUTH_OPTIONS), ...config };
  if (authSecret === undefined && authPublicKey === undefined && authJwksUrl === undefined) {
    if (authIssuer !== undefined || authAudience !== undefined)
      throw new AuthConfigError(
        '--auth-issuer/--auth-audience need a key: --auth-secret, --auth-public-key or --auth-jwks-url',
      );
    return undefined;
  }
  const keys: VerifyKey[] = [];
  if (authSecret !== undefined) keys.push(secretKey(authSecret));
  if (authPublicKey !== undefined) {
    let pem: string;
    try {
      pem = await readFile(authPublicKey, 'utf8');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new AuthConfigError(
        `--auth-public-key ${authPublicKey}: cannot read it (${e.code ?? e.message})`,
      );
    }
    try {
      keys.push(...publicKeysFromPem(pem));
    } catch (err) {
      if (err instanceof KeyError)
        throw new AuthConfigError(`--auth-public-key ${authPublicKey} ${err.message}`);
      throw err;
    }
  }
  const clock = ctx.clock ?? realClock;
  let remote: RemoteKeySet | undefined;
  if (authJwksUrl !== undefined) {
    if (authAudience === undefined)
      ctx.log.warn(
        'JWKS without --auth-audience: any token this IdP signs for any of its apps is accepted',
        { url: authJwksUrl },
      );
    remote = new RemoteKeySet({
      url: authJwksUrl,
      refreshMs: authJwksRefreshSeconds * 1000,
      cooldownMs: authJwksCooldownSeconds * 1000,
      timeoutMs: authJwksTimeoutMs,
      clock,
      log: ctx.log,
      ...(ctx.jwksCa === undefined ? {} : { ca: ctx.jwksCa }),
    });
    remote.start();
  }
  return new TokenVerifier({
    keys,
    ...(remote === undefined ? {} : { remote }),
    ...(authIssuer === undefined ? {} : { issuer: authIssuer }),
    ...(authAudience === undefined ? {} : { audience: authAudience }),
    clockSkewSeconds: authClockSkewSeconds,
    clock,
  });
}

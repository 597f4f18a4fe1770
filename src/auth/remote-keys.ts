/**
 * The keys of a JWKS URL, kept current as the identity provider rotates them:
 *
 * - `start()` fetches at once; until one fetch succeeds `ready()` is pending and every
 *   failure is logged (error) with when the next try comes: retries back off with full
 *   jitter from 0.5-1.5 s to at most 30 s, forever.
 * - After a success, the next refresh comes after `refreshMs`, or sooner when the
 *   response's `Cache-Control: max-age` says so (never sooner than `cooldownMs`).
 * - `refetch()` is for a token whose `kid` we do not hold (the IdP rotated since the
 *   last refresh): it starts a fetch at once unless one started less than `cooldownMs`
 *   ago (then null: tokens naming made-up kids cannot make us hammer the IdP), or joins
 *   the one in flight. A fetch is bounded by `timeoutMs`, so is whoever waits on it.
 * - A failed refresh keeps the last good keys (an IdP that is briefly down must not
 *   lock every user out) and retries as above; `healthy` says whether the last fetch
 *   worked, so a caller can tell "not a key of the IdP" from "could not ask the IdP".
 */
import { after, type Clock } from '../clock/clock.js';
import { backoffDelay } from '../retry/backoff.js';
import { fetchJwks } from './jwks.js';
import type { VerifyKey } from './keys.js';

/** Where the key set reports (the CLI passes its logger). */
export interface AuthLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface RemoteKeySetOptions {
  url: string;
  /** Period of the background refresh, ms. */
  refreshMs: number;
  /** Least time between two fetch starts caused by unknown kids, ms. */
  cooldownMs: number;
  /** A fetch's bound (connect, headers and body), ms. */
  timeoutMs: number;
  clock: Clock;
  log: AuthLog;
  /** CAs for an https:// URL (tests). */
  ca?: string | Buffer;
  /** Uniform [0, 1) for the retry jitter (tests). */
  random?: () => number;
}

/** The first retry waits 0.5 s plus a full-jitter draw from [0, 1 s); the window doubles to 30 s. */
const RETRY_FLOOR_MS = 500;
const RETRY_BASE_MS = 1000;
const RETRY_CAP_MS = 30_000;

export class RemoteKeySet {
  /** The keys of the last good document (empty until the first). */
  keys: readonly VerifyKey[] = [];
  /** Bumped on every new document (callers cache on it). */
  version = 0;
  /** The last fetch succeeded. */
  healthy = false;
  /** Fetches started (metrics, tests). */
  fetches = 0;
  private inFlight: Promise<boolean> | null = null;
  private lastStartAt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private cancelTimer: () => void = () => {};
  private closed = false;
  private readonly readyPromise: Promise<void>;
  private resolveReady: () => void = () => {};

  constructor(private readonly o: RemoteKeySetOptions) {
    this.readyPromise = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
  }

  /** Fetches now; refreshes from then on until `close()`. */
  start(): void {
    void this.fetchNow();
  }

  /** Resolves once a document has been loaded. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /**
   * For an unknown kid: the fetch in flight, or a new one; null within `cooldownMs` of
   * the last start (the caller decides with the keys it has). Resolves to whether the
   * fetch succeeded.
   */
  refetch(): Promise<boolean> | null {
    if (this.inFlight !== null) return this.inFlight;
    if (this.closed || this.o.clock.now() - this.lastStartAt < this.o.cooldownMs) return null;
    return this.fetchNow();
  }

  close(): void {
    this.closed = true;
    this.cancelTimer();
  }

  private fetchNow(): Promise<boolean> {
    if (this.inFlight !== null) return this.inFlight;
    this.cancelTimer();
    this.lastStartAt = this.o.clock.now();
    this.fetches++;
    const { url, timeoutMs, clock } = this.o;
    const fetched = fetchJwks(url, {
      timeoutMs,
      clock,
      ...(this.o.ca === undefined ? {} : { ca: this.o.ca }),
    }).then(
      (doc) => {
        // Cleared first: whoever `ready()` wakes may refetch at once.
        this.inFlight = null;
        const before = new Set(this.keys.map((k) => k.kid));
        const after = new Set(doc.keys.map((k) => k.kid));
        const changed =
          this.version === 0 ||
          before.size !== after.size ||
          [...after].some((kid) => !before.has(kid));
        this.keys = doc.keys;
        this.version++;
        if (!this.healthy && this.failures > 0)
          this.o.log.info('JWKS reachable again', { url, failures: this.failures });
        this.healthy = true;
        this.failures = 0;
        if (changed) {
          this.o.log.info('JWKS loaded', { url, kids: [...after] });
          for (const s of doc.skipped) this.o.log.warn('JWKS key skipped', { url, ...s });
        }
        const maxAgeMs = doc.maxAgeSeconds === undefined ? Infinity : doc.maxAgeSeconds * 1000;
        this.schedule(Math.max(this.o.cooldownMs, Math.min(this.o.refreshMs, maxAgeMs)));
        this.resolveReady();
        return true;
      },
      (err: Error) => {
        this.inFlight = null;
        this.healthy = false;
        const retryInMs =
          RETRY_FLOOR_MS +
          backoffDelay(this.failures, {
            baseMs: RETRY_BASE_MS,
            capMs: RETRY_CAP_MS,
            ...(this.o.random === undefined ? {} : { random: this.o.random }),
          });
        this.failures++;
        const fields = { url, err: err.message, failures: this.failures, retryInMs };
        if (this.version === 0)
          this.o.log.error(
            'JWKS fetch failed; no key set yet, connect tokens cannot be checked',
            fields,
          );
        else this.o.log.warn('JWKS refresh failed; keeping the last key set', fields);
        this.schedule(retryInMs);
        return false;
      },
    );
    this.inFlight = fetched;
    return fetched;
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    if (this.closed) return;
    this.cancelTimer = after(this.o.clock, ms, () => void this.fetchNow());
  }
}

/**
 * Before a process hands its Redis URL to the engine, it checks that Redis answers
 * — one short connection, AUTH (when the URL has credentials) and PING, no retries
 * inside — and says what it is waiting for. The engine's own connection retries
 * forever and silently (right for an outage mid-run, wrong at start: an unreachable
 * host or a wrong password used to leave `endpoint`, `feeder`, `start --redis` and
 * `drain` hanging with nothing printed, even at `--log-level debug`).
 *
 * - Unreachable (refused, timed out, DNS): a `warn` line per attempt naming the URL
 *   (password hidden), the error and the next wait; back-off 500 ms → 10 s with
 *   jitter; gives up after `timeoutMs` when that is set (then the command exits 1).
 * - Refused credentials (WRONGPASS, NOAUTH, …): retrying cannot help, so it fails at
 *   once with the reason.
 */
import { createClient } from '@redis/client';
import { backoffDelay } from '../retry/backoff.js';
import type { RedisTarget } from '../store/redis/connection.js';
import type { Logger } from './log.js';

/** A URL fit for a log line: the password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(malformed URL)';
  }
}

const AUTH_ERROR =
  /WRONGPASS|NOAUTH|invalid password|invalid username-password|AUTH.*without any password|NOPERM/i;

export class RedisUnusableError extends Error {}

/** One probe: resolves when PING answers; rejects with the connection's error. */
async function probe(url: string, connectTimeoutMs: number): Promise<void> {
  const client = createClient({
    url,
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: false },
  });
  client.on('error', () => {}); // the rejected connect() carries the error
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.destroy();
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code) return `${e.code}${e.message && !e.message.includes(e.code) ? ` ${e.message}` : ''}`;
  return e instanceof Error ? e.message : String(err);
}

export interface WaitOptions {
  /** Give up after this long, ms; 0 = never. */
  timeoutMs: number;
  /** Per-attempt connect timeout, ms. Default 2000. */
  connectTimeoutMs?: number;
  /** Longest wait between attempts, ms. Default 10,000. */
  capMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export async function waitForRedis(
  target: RedisTarget,
  log: Logger,
  options: WaitOptions,
): Promise<void> {
  const started = Date.now();
  const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const shown = target.urls.map(redactUrl).join(',');
  for (let attempt = 0; ; attempt++) {
    let last: unknown;
    for (const url of target.urls) {
      try {
        await probe(url, connectTimeoutMs);
        if (attempt > 0)
          log.warn('redis reachable; starting', { redis: shown, attempts: attempt + 1 });
        return;
      } catch (err) {
        last = err;
        if (AUTH_ERROR.test(describe(err)))
          throw new RedisUnusableError(
            `redis at ${redactUrl(url)} refused the credentials (${describe(err)}); check the user and password in --redis / REDIS_URL`,
          );
      }
    }
    const elapsed = Date.now() - started;
    const wait = Math.max(
      250,
      backoffDelay(attempt, { baseMs: 1000, capMs: options.capMs ?? 10_000 }),
    );
    if (options.timeoutMs > 0 && elapsed + wait > options.timeoutMs)
      throw new RedisUnusableError(
        `redis at ${shown} not reachable within ${Math.round(options.timeoutMs / 100) / 10} s (${attempt + 1} attempts; last error: ${describe(last)})`,
      );
    log.warn('waiting for redis', {
      redis: shown,
      attempt: attempt + 1,
      error: describe(last),
      retryInMs: wait,
      waitedMs: elapsed,
    });
    await sleep(wait);
  }
}

/**
 * X API v2 filtered stream source.
 *
 * Connection (docs.x.com, "GET /2/tweets/search/stream"): a long-lived GET with
 * `Authorization: Bearer <token>`, newline-delimited JSON, `\r\n` keep-alives.
 * Reconnection (docs.x.com, "Handling disconnections"):
 * - no data and no keep-alive for 20 s → the connection is dead, reconnect;
 * - an established connection that drops → reconnect immediately;
 * - TCP/IP errors → back off linearly, +250 ms per attempt, up to 16 s;
 * - HTTP errors → back off exponentially from 5 s, doubling, up to 320 s;
 * - HTTP 429 → back off exponentially from 1 minute, doubling.
 * A little jitter is added on top (never below the documented wait), so a fleet of
 * feeders does not reconnect in lockstep. Rules come from the catalog (x-rules.ts) and
 * are re-synced by `updateCatalog`.
 */

import { type Clock, realClock } from '../../clock/clock.js';
import type { Catalog } from '../../matching/catalog.js';
import type { Tweet } from '../../protocol/index.js';
import type { Source, SourceStats } from '../source.js';
import { TextLineSplitter } from './lines.js';
import { type XFailure, xReconnectDelay } from './x-backoff.js';
import { parseXLine } from './x-format.js';
import { deriveRules, diffRules, type RuleLimits } from './x-rules.js';
import { applyRuleDiff, getRules, type RulesApi, XHttpError } from './x-rules-api.js';

export interface XOptions {
  kind: 'x';
  catalog: Catalog;
  /** Bearer token. Default `process.env.X_BEARER_TOKEN` (required one way or the other). */
  bearerToken?: string;
  /** API origin. Default `https://api.x.com`. */
  baseUrl?: string;
  /** Dead-connection timeout, ms. Default 20_000 (X sends a keep-alive every 20 s). */
  stallTimeoutMs?: number;
  /** Longest stream line accepted. Default 1 Mi characters. */
  maxLineLength?: number;
  /** Rule limits and tagging. Defaults: the Pro tier, see x-rules.ts. */
  rules?: RuleLimits;
  /** Create/delete rules to follow the catalog. Default true. */
  manageRules?: boolean;
  /** Rules per POST request. Default 100. */
  rulesPerRequest?: number;
  /** Extra random wait on top of each documented back-off, as a share of it. Default 0.1. */
  jitterRatio?: number;
  /**
   * On reconnect after a drop, ask for the posts missed meanwhile with
   * `backfill_minutes` (1–5; Enterprise access only, per "Recovery and redundancy").
   * Default 0: not requested, so a drop on Pro loses what was posted while away.
   */
  backfillMinutes?: number;
  /** Recent post ids remembered to drop redelivered posts (backfill overlap). Default 10_000. */
  dedupeWindow?: number;
  /** Uniform [0,1) for jitter. Default `Math.random`. */
  random?: () => number;
  /** Timers. Default: the real ones. */
  clock?: Clock;
}

/** Why the last connection attempt failed; stable codes, branch on these. */
export type XErrorCode =
  | 'network'
  | 'http_error'
  | 'rate_limited'
  | 'stalled'
  | 'stream_error'
  | 'rules_sync';

export interface XStats extends SourceStats {
  heartbeats: number;
  /** Posts dropped because they had been delivered already. */
  duplicates: number;
  lastError?: { code: XErrorCode; status?: number; message: string };
  rules: number;
  /** Catalog movies left out of the rules by the rule limits. */
  rulesOmitted: number;
  rulesRefused: number;
}

type Outcome =
  | { kind: 'dropped'; healthy: boolean }
  | { kind: 'network' }
  | { kind: 'http'; status: number };

const STREAM_QUERY =
  'tweet.fields=created_at,lang,author_id&expansions=author_id&user.fields=username,name';

export class XSource implements Source {
  readonly name = 'x';
  private readonly clock: Clock;
  private readonly api: RulesApi;
  private catalog: Catalog;
  private running = false;
  private abort: AbortController | undefined;
  /** Pending waits (stream loop and rule sync), so `stop()` ends them at once. */
  private readonly sleepers = new Map<unknown, () => void>();
  private attempts = { network: 0, http: 0, rate: 0 };
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private loop: Promise<void> | undefined;
  private dropped = false;
  private readonly seen = new Set<string>();
  private readonly counters: XStats = {
    posts: 0,
    malformed: 0,
    connects: 0,
    heartbeats: 0,
    duplicates: 0,
    rules: 0,
    rulesOmitted: 0,
    rulesRefused: 0,
  };

  constructor(private readonly opts: XOptions) {
    const token = opts.bearerToken ?? process.env.X_BEARER_TOKEN;
    if (!token) throw new Error('x source: set X_BEARER_TOKEN (an app-only bearer token)');
    this.clock = opts.clock ?? realClock;
    this.catalog = opts.catalog;
    this.api = { baseUrl: opts.baseUrl ?? 'https://api.x.com', token };
    if (opts.rulesPerRequest !== undefined) this.api.perRequest = opts.rulesPerRequest;
  }

  start(emit: (posts: Tweet[]) => void): void {
    if (this.running) return;
    this.running = true;
    if (this.opts.manageRules ?? true) void this.syncRules();
    this.loop = this.run(emit);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    for (const [timer, wake] of this.sleepers) {
      this.clock.clearTimeout(timer);
      wake();
    }
    this.sleepers.clear();
    await this.loop;
    await this.syncing;
  }

  stats(): XStats {
    return { ...this.counters };
  }

  /** Re-derives the rules from a changed catalog and syncs them with X. */
  updateCatalog(catalog: Catalog): Promise<void> {
    this.catalog = catalog;
    return this.syncRules();
  }

  /** Brings X's rules in line with the catalog; coalesces concurrent calls. */
  syncRules(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      let attempt = 0;
      do {
        this.syncAgain = false;
        try {
          const derived = deriveRules(this.catalog, this.opts.rules);
          const existing = await getRules(this.api);
          const diff = diffRules(existing, derived.rules, this.opts.rules?.tagPrefix);
          this.counters.rulesRefused += await applyRuleDiff(this.api, diff);
          this.counters.rules = derived.rules.length;
          this.counters.rulesOmitted = derived.omitted.length;
          attempt = 0;
        } catch (err) {
          const status = err instanceof XHttpError ? err.status : undefined;
          this.fail('rules_sync', String(err instanceof Error ? err.message : err), status);
          if (!this.running) break;
          await this.sleep(
            this.delayFor(
              status === undefined ? { kind: 'network' } : { kind: 'http', status },
              attempt++,
            ),
          );
          this.syncAgain = this.running;
        }
      } while (this.syncAgain && this.running);
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async run(emit: (posts: Tweet[]) => void): Promise<void> {
    while (this.running) {
      const outcome = await this.connectOnce(emit);
      if (!this.running) break;
      await this.sleep(this.nextDelay(outcome));
    }
  }

  /** The documented wait before the next attempt, plus jitter on top. */
  private nextDelay(o: Outcome): number {
    if (o.kind === 'dropped' && o.healthy) {
      this.attempts = { network: 0, http: 0, rate: 0 };
      return 0;
    }
    const n =
      o.kind === 'http'
        ? o.status === 429
          ? this.attempts.rate++
          : this.attempts.http++
        : this.attempts.network++;
    return this.delayFor(o.kind === 'dropped' ? { kind: 'network' } : o, n);
  }

  private delayFor(o: XFailure, n: number): number {
    return xReconnectDelay(o, n, this.opts.random ?? Math.random, this.opts.jitterRatio ?? 0.1);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (!this.running) return resolve();
      const timer = this.clock.setTimeout(() => {
        this.sleepers.delete(timer);
        resolve();
      }, ms);
      this.sleepers.set(timer, resolve);
    });
  }

  /** False if `id` was seen recently; bounded (insertion-ordered Set as a FIFO). */
  private remember(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > (this.opts.dedupeWindow ?? 10_000)) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  private fail(code: XErrorCode, message: string, status?: number): void {
    this.counters.lastError = status === undefined ? { code, message } : { code, status, message };
  }

  private async connectOnce(emit: (posts: Tweet[]) => void): Promise<Outcome> {
    const controller = new AbortController();
    this.abort = controller;
    let query = STREAM_QUERY;
    const backfill = Math.min(5, Math.max(0, Math.floor(this.opts.backfillMinutes ?? 0)));
    if (this.dropped && backfill > 0) query += `&backfill_minutes=${backfill}`;
    let res: Response;
    try {
      res = await fetch(new URL(`/2/tweets/search/stream?${query}`, this.api.baseUrl), {
        headers: { authorization: `Bearer ${this.api.token}` },
        signal: controller.signal,
      });
    } catch (err) {
      // An abort by stop() is not a network failure worth reporting.
      if (this.running) this.fail('network', String(err instanceof Error ? err.message : err));
      return { kind: 'network' };
    }
    if (res.status !== 200 || !res.body) {
      const text = await res.text().catch(() => '');
      this.fail(res.status === 429 ? 'rate_limited' : 'http_error', text.slice(0, 300), res.status);
      return { kind: 'http', status: res.status };
    }
    this.counters.connects++;
    const outcome = await this.consume(res.body, controller, emit);
    this.dropped = true;
    return outcome;
  }

  private async consume(
    body: ReadableStream<Uint8Array>,
    controller: AbortController,
    emit: (posts: Tweet[]) => void,
  ): Promise<Outcome> {
    const splitter = new TextLineSplitter({
      maxLineLength: this.opts.maxLineLength ?? 1024 * 1024,
    });
    const decoder = new TextDecoder();
    const stallMs = this.opts.stallTimeoutMs ?? 20_000;
    let healthy = false;
    let stalled = false;
    let timer: unknown;
    const arm = () => {
      this.clock.clearTimeout(timer);
      timer = this.clock.setTimeout(() => {
        stalled = true;
        controller.abort();
      }, stallMs);
    };
    arm();
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arm();
        healthy = true;
        const batch: Tweet[] = [];
        for (const ev of splitter.push(decoder.decode(value, { stream: true }))) {
          if (ev.type === 'overflow') {
            this.counters.malformed++;
            continue;
          }
          if (ev.line.length === 0) {
            this.counters.heartbeats++;
            continue;
          }
          const r = parseXLine(ev.line);
          if (r.type === 'post') {
            if (this.remember(r.post.id)) batch.push(r.post);
            else this.counters.duplicates++;
          } else if (r.type === 'malformed') this.counters.malformed++;
          else {
            this.fail('stream_error', r.errors.map((e) => e.detail ?? e.title).join('; '));
            if (r.disconnect) controller.abort();
          }
        }
        if (batch.length > 0) {
          this.counters.posts += batch.length;
          emit(batch);
        }
      }
    } catch {
      // Aborted (stall, in-stream disconnect, stop) or the socket died mid-body.
    } finally {
      this.clock.clearTimeout(timer);
      reader.releaseLock();
      if (!controller.signal.aborted) controller.abort();
    }
    if (stalled) this.fail('stalled', `no data or keep-alive for ${stallMs} ms`);
    return { kind: 'dropped', healthy };
  }
}

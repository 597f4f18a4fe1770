/**
 * Bluesky Jetstream source: a WebSocket to a Jetstream instance, posts only.
 *
 * Follows github.com/bluesky-social/jetstream README, "Consuming Jetstream":
 * - `wantedCollections=app.bsky.feed.post` so the server filters for us (account and
 *   identity events still arrive; they are skipped but advance the cursor);
 * - `cursor=<time_us>` on reconnect: "use the `time_us` from your most recently
 *   processed event" — resumes without a gap; the repeated boundary event is dropped
 *   by `CursorGate`;
 * - no `compress=true`: zstd needs Jetstream's custom dictionary (README, "Compression").
 * Reconnects with capped full-jitter back-off; a connection silent for `idleTimeoutMs`
 * is presumed dead (Jetstream's firehose is never quiet for long).
 */
import WebSocket from 'ws';
import { type Clock, realClock } from '../../clock/clock.js';
import type { Tweet } from '../../protocol/index.js';
import { Backoff } from '../../retry/backoff.js';
import type { Source, SourceStats } from '../source.js';
import { CursorGate, POST_COLLECTION, parseJetstreamLine } from './jetstream-format.js';

export interface JetstreamOptions {
  kind: 'jetstream';
  /** Subscribe endpoint. Default `wss://jetstream2.us-east.bsky.network/subscribe`. */
  url?: string;
  /** Start from this `time_us` (replays history). Default: live tail. */
  cursor?: number;
  /** First back-off window, ms. Default 1_000. */
  backoffBaseMs?: number;
  /** Largest back-off window, ms. Default 30_000. */
  backoffCapMs?: number;
  /** Reconnect when nothing arrives for this long, ms. Default 30_000. */
  idleTimeoutMs?: number;
  /** Largest frame accepted (ws `maxPayload`), bytes. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Uniform [0,1) for jitter. Default `Math.random`. */
  random?: () => number;
  /** Timers. Default: the real ones. */
  clock?: Clock;
}

export interface JetstreamStats extends SourceStats {
  /** Events dropped because a resumed connection sent them again. */
  duplicates: number;
  /** The `time_us` a reconnect resumes from (0 before the first event). */
  cursor: number;
}

export const DEFAULT_JETSTREAM_URL = 'wss://jetstream2.us-east.bsky.network/subscribe';

export class JetstreamSource implements Source {
  readonly name = 'jetstream';
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly gate: CursorGate;
  private readonly counters = { posts: 0, malformed: 0, connects: 0, duplicates: 0 };
  private ws: WebSocket | undefined;
  private retryTimer: unknown;
  private idleTimer: unknown;
  private running = false;
  private pending: Tweet[] = [];
  private flushScheduled = false;
  private emit: (posts: Tweet[]) => void = () => {};

  constructor(private readonly opts: JetstreamOptions) {
    this.clock = opts.clock ?? realClock;
    this.gate = new CursorGate(opts.cursor);
    this.backoff = new Backoff({
      baseMs: opts.backoffBaseMs ?? 1_000,
      capMs: opts.backoffCapMs ?? 30_000,
      random: opts.random ?? Math.random,
    });
  }

  start(emit: (posts: Tweet[]) => void): void {
    if (this.running) return;
    this.running = true;
    this.emit = emit;
    this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.clock.clearTimeout(this.retryTimer);
    this.clock.clearTimeout(this.idleTimer);
    const ws = this.ws;
    this.ws = undefined;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.terminate();
    });
  }

  stats(): JetstreamStats {
    return { ...this.counters, cursor: this.gate.cursor };
  }

  /** The URL of the next connection: resumes from the last event seen. */
  subscribeUrl(): string {
    const u = new URL(this.opts.url ?? DEFAULT_JETSTREAM_URL);
    u.searchParams.set('wantedCollections', POST_COLLECTION);
    if (this.gate.cursor > 0) u.searchParams.set('cursor', String(this.gate.cursor));
    return u.toString();
  }

  private connect(): void {
    if (!this.running) return;
    const ws = new WebSocket(this.subscribeUrl(), {
      maxPayload: this.opts.maxMessageBytes ?? 1024 * 1024,
      perMessageDeflate: false,
    });
    this.ws = ws;
    let healthy = false;
    ws.on('open', () => {
      this.counters.connects++;
      this.armIdle(ws);
    });
    ws.on('message', (data, isBinary) => {
      if (!healthy) {
        // One real event proves the connection; the next failure starts small again.
        healthy = true;
        this.backoff.reset();
      }
      this.armIdle(ws);
      if (isBinary) {
        this.counters.malformed++;
        return;
      }
      this.onFrame(data.toString());
    });
    // 'error' is always followed by 'close'; the retry is scheduled there, once.
    ws.on('error', () => {});
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.clock.clearTimeout(this.idleTimer);
      this.flush();
      this.scheduleReconnect();
    });
  }

  private onFrame(frame: string): void {
    const r = parseJetstreamLine(frame);
    if (r.type === 'malformed') {
      this.counters.malformed++;
      return;
    }
    if (r.timeUs === undefined) return;
    const id = r.type === 'post' ? r.post.id : undefined;
    if (!this.gate.admit(r.timeUs, id)) {
      if (r.type === 'post') this.counters.duplicates++;
      return;
    }
    if (r.type !== 'post') return;
    this.counters.posts++;
    this.pending.push(r.post);
    // One batch per event-loop turn, however many frames arrived in it.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.emit(batch);
  }

  private armIdle(ws: WebSocket): void {
    this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = this.clock.setTimeout(() => {
      if (this.ws === ws) ws.terminate();
    }, this.opts.idleTimeoutMs ?? 30_000);
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    this.retryTimer = this.clock.setTimeout(() => this.connect(), this.backoff.next());
  }
}

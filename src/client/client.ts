/**
 * The Filmgrain client core: one connection kept open across failures. Transport-
 * agnostic (see transport.ts); time, randomness, fetch and the transport are options.
 *
 * State funnel (one place: `setState`, which emits `state {from, to}`):
 *   idle → connecting → connected ⇄ reconnecting → … ; any → closed.
 * `connecting` = never connected yet; `reconnecting` = lost a connection and trying
 * again (waiting out the back-off or a redirect's delay_ms, or opening the next one).
 */
import {
  type ClientMessage,
  encodeLine,
  type LineSink,
  LineSplitter,
  PROTOCOL_VERSION,
  parseServerLine,
  type RankedMovie,
  type ServerMessage,
  type Tweet,
} from '../protocol/index.js';
import { Backoff, type Clock, realClock } from '../retry/backoff.js';
import type { DiscoveredEndpoint, FetchLike } from './discovery.js';
import { type ClientError, type ClientErrorCode, TERMINAL_SERVER_CODES } from './errors.js';
import { TypedEmitter } from './events.js';
import { nodeTransport } from './node-transport.js';
import { CLIENT_DEFAULTS, type ClientOptions } from './options.js';
import { type Pick as EndpointPick, EndpointPicker } from './picker.js';
import { comparePostIds } from './post-ids.js';
import type { Stream, Target, Transport } from './transport.js';

export type ClientState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface StateChange {
  from: ClientState;
  to: ClientState;
  /** The endpoint, e.g. "tls://127.0.0.1:4747", when the change concerns one. */
  endpoint?: string;
  /** Why, for `reconnecting`/`closed`: the error that ended the connection. */
  reason?: ClientError;
}

export interface Ranking {
  movies: RankedMovie[];
  /** ms since the epoch when the server computed it. */
  generatedAt: number;
}

export interface Post {
  movieId: number;
  /** Pass back as `follow(movieId, {since})` to resume after it (e.g. after a restart). */
  postId: string;
  tweet: Tweet;
  /** History no longer reached back to the resume point: posts may be missing before it. */
  gap: boolean;
}

export interface Redirect {
  target: Target;
  reason: string;
  delayMs: number;
}

export interface ClientEvents {
  state: StateChange;
  ranking: Ranking;
  post: Post;
  error: ClientError;
  /** Round-trip time (ms) measured by each ping/pong. */
  rtt: number;
  /** The server sent `reconnect`; the client goes there after `delayMs`. */
  redirect: Redirect;
}

interface Live {
  gen: number;
  stream: Stream;
  splitter: LineSplitter;
  pick: EndpointPick;
  handshaking: boolean;
  connectedAt: number;
  lastReceivedAt: number;
  /** Why this connection is ending, when the client knows (dead, overflow, fatal). */
  ending?: ClientError;
}

export class FilmgrainClient extends TypedEmitter<ClientEvents> {
  private stateValue: ClientState = 'idle';
  private readonly clock: Clock;
  private readonly transport: Transport;
  private readonly picker: EndpointPicker;
  private readonly backoff: Backoff;
  /** Followed movies: the last post id delivered, and refused `start_feed`s in a row. */
  private readonly feeds = new Map<number, { last?: string; refusals?: number }>();
  private readonly random: () => number;
  private gen = 0;
  private live: Live | null = null;
  private opening: AbortController | null = null;
  private timers = new Set<unknown>();
  private redirect: Redirect | null = null;
  private rankingValue: Ranking | null = null;
  private reconnectCount = 0;
  private everConnected = false;
  private rttValue: number | undefined;
  private endpointLabel: string | undefined;
  private handshakeTimer: unknown = null;
  private readonly o: Required<
    Pick<
      ClientOptions,
      | 'pingIntervalMs'
      | 'deadAfterMs'
      | 'connectTimeoutMs'
      | 'stableAfterMs'
      | 'maxLineBytes'
      | 'maxFeeds'
      | 'maxWriteBufferBytes'
    >
  >;

  constructor(private readonly options: ClientOptions) {
    super();
    const d = CLIENT_DEFAULTS;
    const pingIntervalMs = options.pingIntervalMs ?? d.pingIntervalMs;
    this.o = {
      pingIntervalMs,
      deadAfterMs: options.deadAfterMs ?? 2 * pingIntervalMs,
      connectTimeoutMs: options.connectTimeoutMs ?? d.connectTimeoutMs,
      stableAfterMs: options.stableAfterMs ?? d.stableAfterMs,
      maxLineBytes: options.maxLineBytes ?? d.maxLineBytes,
      maxFeeds: options.maxFeeds ?? d.maxFeeds,
      maxWriteBufferBytes: options.maxWriteBufferBytes ?? d.maxWriteBufferBytes,
    };
    this.clock = options.clock ?? realClock;
    const random = options.random ?? Math.random;
    this.random = random;
    this.transport = options.transport ?? nodeTransport(options);
    this.backoff = new Backoff({ ...d.backoff, ...options.backoff, random });
    const fixed: DiscoveredEndpoint[] = (
      options.endpoints ??
      (options.host !== undefined || options.directory === undefined
        ? [{ host: options.host ?? '127.0.0.1', port: options.port ?? d.port, tls: options.tls }]
        : [])
    ).map((e) => ({ id: `${e.host}:${e.port}`, host: e.host, port: e.port, tls: e.tls ?? true }));
    this.picker = new EndpointPicker({
      fixed,
      ...(options.directory === undefined ? {} : { directory: String(options.directory) }),
      refreshMs: options.discoveryRefreshMs ?? d.discoveryRefreshMs,
      timeoutMs: this.o.connectTimeoutMs,
      clock: this.clock,
      random,
      fetch: options.fetch ?? (globalThis.fetch as unknown as FetchLike),
      onDiscoveryError: (err) => this.report('discovery_failed', err.message),
    });
  }

  // ---- public surface ----

  get state(): ClientState {
    return this.stateValue;
  }
  /** The latest ranking, or null before the first `set_movies`. */
  get ranking(): Ranking | null {
    return this.rankingValue;
  }
  /** The endpoint of the current (or last) connection, e.g. "tls://127.0.0.1:4747". */
  get endpoint(): string | undefined {
    return this.endpointLabel;
  }
  /** The last measured round-trip time, ms. */
  get rttMs(): number | undefined {
    return this.rttValue;
  }
  /** Successful reconnections so far (the first connection is not counted). */
  get reconnects(): number {
    return this.reconnectCount;
  }
  /** Followed movie ids. */
  get following(): number[] {
    return [...this.feeds.keys()];
  }
  /** The last post id seen for a followed movie (the `since` of the next resume). */
  lastPostId(movieId: number): string | undefined {
    return this.feeds.get(movieId)?.last;
  }

  /** Starts connecting; resolves once connected, rejects if the client closes first. */
  connect(): Promise<void> {
    if (this.stateValue === 'closed') return Promise.reject(new Error('client is closed'));
    const done = new Promise<void>((resolve, reject) => {
      if (this.stateValue === 'connected') return resolve();
      const off = this.on('state', ({ to, reason }) => {
        if (to === 'connected') {
          off();
          resolve();
        } else if (to === 'closed') {
          off();
          reject(new Error(reason ? `${reason.code}: ${reason.message}` : 'client closed'));
        }
      });
    });
    if (this.stateValue === 'idle') {
      this.setState('connecting');
      void this.attempt();
    }
    return done;
  }

  /**
   * Follows a movie's posts. `since` resumes after a post id the app saw before (e.g.
   * stored across app restarts); otherwise the server first sends its recent backlog.
   */
  follow(movieId: number, opts: { since?: string } = {}): void {
    if (!Number.isSafeInteger(movieId) || movieId <= 0)
      throw new RangeError(`movie id must be a positive integer, not ${movieId}`);
    if (this.feeds.has(movieId)) return;
    if (this.feeds.size >= this.o.maxFeeds)
      throw new RangeError(`at most ${this.o.maxFeeds} movies may be followed at once`);
    this.feeds.set(movieId, opts.since === undefined ? {} : { last: opts.since });
    if (this.stateValue === 'connected') this.sendStartFeed(movieId);
  }

  unfollow(movieId: number): void {
    if (!this.feeds.delete(movieId)) return;
    if (this.stateValue === 'connected')
      this.send({ action: 'stop_feed', params: { movie_id: movieId } });
  }

  /** Closes for good: no reconnect. Resolves once the connection is closed. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    this.shutdown();
  }

  // ---- connection attempts ----

  private async attempt(): Promise<void> {
    const gen = ++this.gen;
    const abort = new AbortController();
    this.opening = abort;
    const startedAt = this.clock.now();
    const timeout = this.setTimer(() => abort.abort(), this.o.connectTimeoutMs);
    let pick: EndpointPick;
    const redirect = this.redirect;
    this.redirect = null;
    try {
      pick = redirect
        ? { id: `${redirect.target.host}:${redirect.target.port}`, target: redirect.target }
        : await this.picker.next(abort.signal);
    } catch (err) {
      this.clearTimer(timeout);
      if (gen !== this.gen) return;
      this.report('no_endpoint', err instanceof Error ? err.message : String(err));
      this.retry();
      return;
    }
    if (gen !== this.gen) return;
    const { host, port, tls } = pick.target;
    this.endpointLabel = `${tls ? 'tls' : 'tcp'}://${host}:${port}`;
    let stream: Stream;
    try {
      stream = await this.transport.connect(
        pick.target,
        {
          data: (chunk) => this.onData(gen, chunk),
          close: (err) => this.onClose(gen, err),
        },
        abort.signal,
      );
    } catch (err) {
      if (gen !== this.gen) return;
      this.clearTimer(timeout);
      this.picker.fail(pick.id);
      const code = (err as { code?: unknown }).code;
      const message = `${this.endpointLabel}: ${err instanceof Error ? err.message : String(err)}`;
      if (abort.signal.aborted) this.report('connect_timeout', message);
      else this.report(code === 'pin_mismatch' ? 'pin_mismatch' : 'transport_failed', message);
      this.retry();
      return;
    }
    if (gen !== this.gen) {
      stream.destroy();
      return;
    }
    this.opening = null;
    const now = this.clock.now();
    const live: Live = {
      gen,
      stream,
      pick,
      splitter: new LineSplitter(this.o.maxLineBytes, this.sink(gen)),
      handshaking: true,
      connectedAt: now,
      lastReceivedAt: now,
    };
    this.live = live;
    // The rest of the connect timeout covers the handshake: the server's first reply
    // (set_movies or pong) must arrive within it.
    this.clearTimer(timeout);
    this.handshakeTimer = this.setTimer(
      () => {
        if (this.live === live && live.handshaking)
          this.end(
            live,
            this.error('connect_timeout', `${this.endpointLabel}: no reply to connect`),
          );
      },
      Math.max(1, this.o.connectTimeoutMs - (now - startedAt)),
    );
    this.send({
      action: 'connect',
      params: {
        version: PROTOCOL_VERSION,
        client: this.options.client ?? { name: 'filmgrain-client' },
        ...(this.options.token === undefined ? {} : { token: this.options.token }),
      },
    });
    this.ping();
    this.armDeadTimer(live);
  }

  private retry(): void {
    if (this.stateValue === 'closed') return;
    const redirect = this.redirect;
    const delay = redirect ? Math.max(0, redirect.delayMs) : this.backoff.next();
    this.setTimer(() => void this.attempt(), delay);
  }

  // ---- the live connection ----

  private sink(gen: number): LineSink {
    return {
      line: (text) => {
        if (this.live?.gen === gen) this.onLine(this.live, text);
      },
      invalidEncoding: () => this.report('bad_message', 'a server line was not valid UTF-8'),
      overflow: () => {
        if (this.live?.gen !== gen) return;
        this.end(
          this.live,
          this.error('line_too_long', `a server line passed ${this.o.maxLineBytes} bytes`),
        );
      },
    };
  }

  private onData(gen: number, chunk: Uint8Array): void {
    const live = this.live;
    if (live === null || live.gen !== gen) return;
    live.lastReceivedAt = this.clock.now();
    live.splitter.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  private onLine(live: Live, text: string): void {
    const parsed = parseServerLine(text);
    if (!parsed.ok) {
      // Servers may add actions within v1: skip those quietly.
      if (parsed.code !== 'unknown_action') this.report('bad_message', parsed.message);
      return;
    }
    this.handle(live, parsed.message);
  }

  private handle(live: Live, m: ServerMessage): void {
    switch (m.action) {
      case 'set_movies':
        this.handshakeDone(live);
        this.rankingValue = { movies: m.params.movies, generatedAt: m.params.generated_at };
        this.emit('ranking', this.rankingValue);
        return;
      case 'post_tweet': {
        const { movie_id: movieId, post_id: postId, tweet } = m.params;
        const feed = this.feeds.get(movieId);
        // Unfollowed meanwhile, or already seen (a replay after resume): drop.
        if (feed === undefined) return;
        if (feed.last !== undefined && comparePostIds(postId, feed.last) <= 0) return;
        feed.last = postId;
        feed.refusals = 0;
        const gap = (m.params as { gap?: unknown }).gap === true;
        this.emit('post', { movieId, postId, tweet, gap });
        return;
      }
      case 'pong': {
        this.handshakeDone(live);
        const ts = m.params.ts;
        if (typeof ts === 'number') {
          this.rttValue = Math.max(0, this.clock.now() - ts);
          this.emit('rtt', this.rttValue);
        }
        return;
      }
      case 'error': {
        const p = m.params;
        const err: ClientError = {
          code: p.code,
          message: p.message,
          fatal: p.fatal,
          origin: 'server',
          ...(p.movie_id === undefined ? {} : { movieId: p.movie_id }),
          ...(p.in_reply_to === undefined ? {} : { inReplyTo: p.in_reply_to }),
        };
        // A feed the server refused stays refused: forget it so a resume does not loop.
        if ((p.code === 'unknown_movie' || p.code === 'too_many_feeds') && p.movie_id !== undefined)
          this.feeds.delete(p.movie_id);
        // `internal_error` on start_feed means "retry later" (the endpoint's store was
        // unreachable): ask again with jittered back-off while the movie is followed.
        if (
          p.code === 'internal_error' &&
          p.in_reply_to === 'start_feed' &&
          p.movie_id !== undefined
        )
          this.retryStartFeed(live, p.movie_id);
        this.emit('error', err);
        if (p.fatal) this.end(live, err);
        return;
      }
      case 'reconnect': {
        const { host, port, tls, reason, delay_ms } = m.params;
        const redirect: Redirect = {
          target: { host, port, tls },
          reason,
          delayMs: Math.min(Math.max(0, delay_ms ?? 0), CLIENT_DEFAULTS.backoff.capMs),
        };
        this.emit('redirect', redirect);
        this.redirect = redirect;
        live.ending = this.error('redirected', `redirected to ${host}:${port} (${reason})`);
        live.stream.end();
        return;
      }
      default: {
        const unreachable: never = m;
        throw new Error(`unhandled ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private handshakeDone(live: Live): void {
    if (!live.handshaking) return;
    live.handshaking = false;
    this.clearTimer(this.handshakeTimer);
    this.handshakeTimer = null;
    live.connectedAt = this.clock.now();
    this.picker.succeed();
    if (this.everConnected) this.reconnectCount++;
    this.everConnected = true;
    this.setState('connected');
    for (const movieId of this.feeds.keys()) this.sendStartFeed(movieId);
  }

  /** Full jitter, 500 ms doubling to 10 s; reset once a post arrives (see `post`). */
  private retryStartFeed(live: { gen: number }, movieId: number): void {
    const feed = this.feeds.get(movieId);
    if (feed === undefined) return;
    feed.refusals = (feed.refusals ?? 0) + 1;
    const delay = this.random() * Math.min(10_000, 500 * 2 ** (feed.refusals - 1));
    this.setTimer(() => {
      if (this.live?.gen === live.gen && this.feeds.get(movieId) === feed)
        this.sendStartFeed(movieId);
    }, delay);
  }

  private sendStartFeed(movieId: number): void {
    const since = this.feeds.get(movieId)?.last;
    this.send({
      action: 'start_feed',
      params: since === undefined ? { movie_id: movieId } : { movie_id: movieId, since },
    });
  }

  private send(message: ClientMessage): void {
    const live = this.live;
    if (live === null) return;
    live.stream.write(encodeLine(message).toString('utf8'));
    if (live.stream.bufferedBytes > this.o.maxWriteBufferBytes)
      this.end(live, this.error('write_buffer_full', `${live.stream.bufferedBytes} bytes unsent`));
  }

  private ping(): void {
    const live = this.live;
    if (live === null) return;
    this.send({ action: 'ping', params: { ts: this.clock.now() } });
    const gen = live.gen;
    this.setTimer(() => {
      if (this.live?.gen === gen) this.ping();
    }, this.o.pingIntervalMs);
  }

  /** Fires `deadAfterMs` after the last byte; re-arms itself while bytes keep coming. */
  private armDeadTimer(live: Live): void {
    const due = live.lastReceivedAt + this.o.deadAfterMs - this.clock.now();
    this.setTimer(
      () => {
        if (this.live !== live) return;
        if (this.clock.now() - live.lastReceivedAt >= this.o.deadAfterMs)
          this.end(
            live,
            this.error('dead_connection', `nothing received for ${this.o.deadAfterMs} ms`),
          );
        else this.armDeadTimer(live);
      },
      Math.max(1, due),
    );
  }

  /** Ends the live connection for `reason`; the close callback then decides what next. */
  private end(live: Live, reason: ClientError): void {
    live.ending ??= reason;
    if (reason.origin === 'client') this.emit('error', reason);
    live.stream.destroy();
  }

  private onClose(gen: number, err?: Error): void {
    const live = this.live;
    if (live === null || live.gen !== gen) return;
    this.live = null;
    this.clearTimer(this.handshakeTimer);
    this.handshakeTimer = null;
    if (this.stateValue === 'closed') return;
    const reason =
      live.ending ??
      this.error('transport_failed', `${this.endpointLabel}: ${err?.message ?? 'closed'}`);
    if (live.ending === undefined) this.emit('error', reason);
    if (reason.origin === 'server' && TERMINAL_SERVER_CODES.has(reason.code)) {
      this.shutdown({ ...reason, fatal: true });
      return;
    }
    if (this.clock.now() - live.connectedAt >= this.o.stableAfterMs && !live.handshaking)
      this.backoff.reset();
    if (this.redirect === null) this.picker.fail(live.pick.id);
    if (this.everConnected) this.setState('reconnecting', reason);
    this.retry();
  }

  private shutdown(reason?: ClientError): void {
    this.gen++;
    this.opening?.abort();
    this.opening = null;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    const live = this.live;
    this.live = null;
    this.setState('closed', reason);
    live?.stream.end();
  }

  // ---- helpers ----

  private setState(to: ClientState, reason?: ClientError): void {
    const from = this.stateValue;
    if (from === to || from === 'closed') return;
    this.stateValue = to;
    const change: StateChange = { from, to };
    if (this.endpointLabel !== undefined) change.endpoint = this.endpointLabel;
    if (reason !== undefined) change.reason = reason;
    this.emit('state', change);
  }

  private error(code: ClientErrorCode, message: string): ClientError {
    return { code, message, fatal: false, origin: 'client' };
  }

  private report(code: ClientErrorCode, message: string): void {
    this.emit('error', this.error(code, message));
  }

  private setTimer(fn: () => void, ms: number): unknown {
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      fn();
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  private clearTimer(handle: unknown): void {
    if (handle === null) return;
    this.clock.clearTimeout(handle);
    this.timers.delete(handle);
  }
}

/** Creates a client; call `connect()` to start. */
export function createClient(options: ClientOptions = {}): FilmgrainClient {
  return new FilmgrainClient(options);
}

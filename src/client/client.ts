/**
 * The Filmgrain client core: one connection kept open across failures. Transport-
 * agnostic (see transport.ts) and portable (no Node API: it runs unchanged in a
 * browser); time, randomness, fetch and the transport are options. One live
 * connection's mechanics (framing, handshake deadline, pings, dead timer, write bound)
 * are in connection.ts; this file keeps what spans connections: the state funnel, the
 * followed feeds with their dedupe and replay, redirects and the retry policy.
 *
 * State funnel (one place: `setState`, which emits `state {from, to}`):
 *   idle → connecting → connected ⇄ reconnecting → … ; any → closed.
 * `connecting` = never connected yet; `reconnecting` = lost a connection and trying
 * again (waiting out the back-off or a redirect's delay_ms, or opening the next one).
 */

import { type Clock, realClock } from '../clock/clock.js';
import {
  addressLabel,
  type ClientMessage,
  type EndpointAddress,
  PROTOCOL_VERSION,
  type RankedMovie,
  retryPolicy,
  type ServerMessage,
  type Tweet,
} from '../protocol/index.js';
import { Backoff, backoffWindow } from '../retry/backoff.js';
import { type ConnectionOwner, clientError, LiveConnection } from './connection.js';
import type { DiscoveredEndpoint, FetchLike } from './discovery.js';
import type { ClientError, ClientErrorCode } from './errors.js';
import { TypedEmitter } from './events.js';
import { CLIENT_DEFAULTS, type ClientOptions } from './options.js';
import { type Pick as EndpointPick, EndpointPicker } from './picker.js';
import { RankingState } from './ranking.js';
import { SeenIds } from './seen-ids.js';
import type { Stream, Transport } from './transport.js';
import { webSocketTransport } from './websocket-transport.js';

/**
 * A `start_feed` refused with a code whose retry policy is `backoff` (codes.ts; e.g.
 * internal_error while the server's store is down) is asked again after a full-jitter
 * wait: 500 ms doubling to 10 s, so the clients of a recovering endpoint do not ask in
 * lockstep.
 */
const START_FEED_RETRY = { baseMs: 500, capMs: 10_000 };

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
  /**
   * Posts of this movie the server's live rate cap did not send since the previous live
   * one (PROTOCOL.md § 7 "Hot feeds"): show "+N more"; they stay readable with `since`.
   */
  skipped: number;
}

/**
 * A followed feed's backlog (or resume) is delivered: every `post` of that movie after
 * this event is live (the server's `feed_started`). Comes again after each reconnect,
 * once the feed's resume is delivered, so a screen shows "live" only while it is.
 */
export interface FeedLive {
  movieId: number;
  /** Posts the server sent before the marker (some may have been dropped as repeats). */
  backlog: number;
}

export interface Redirect {
  target: EndpointAddress;
  reason: string;
  delayMs: number;
}

export interface ClientEvents {
  state: StateChange;
  ranking: Ranking;
  post: Post;
  /** A feed's backlog or resume is delivered; what follows is live. */
  live: FeedLive;
  error: ClientError;
  /** Round-trip time (ms) measured by each ping/pong. */
  rtt: number;
  /** The server sent `reconnect`; the client goes there after `delayMs`. */
  redirect: Redirect;
  /**
   * The next connection attempt is scheduled `delayMs` from now (the back-off, or a
   * redirect's delay_ms): what a screen needs to say "reconnecting in N s".
   */
  retrying: Retrying;
}

export interface Retrying {
  delayMs: number;
  /** True when the attempt follows a `reconnect` redirect (not a failure). */
  redirected: boolean;
}

export class FilmgrainClient extends TypedEmitter<ClientEvents> {
  private stateValue: ClientState = 'idle';
  private readonly clock: Clock;
  private readonly transport: Transport;
  private readonly picker: EndpointPicker;
  private readonly backoff: Backoff;
  /**
   * Followed movies: the last post id delivered (the next `since`), the ids seen (to drop
   * repeats: ids are opaque, never compared) and refused `start_feed`s in a row.
   */
  private readonly feeds = new Map<number, { last?: string; seen: SeenIds; refusals?: number }>();
  private readonly random: () => number;
  private gen = 0;
  private live: LiveConnection | null = null;
  /** Settles when the live connection's transport reports the stream closed. */
  private liveClosed: Promise<void> | null = null;
  private opening: AbortController | null = null;
  private timers = new Set<unknown>();
  private redirect: Redirect | null = null;
  private readonly rankingState = new RankingState();
  /**
   * The version `connect` asks for: the configured one, else 2 until a server answers
   * `unsupported_version` (a server older than protocol v2), then 1 for this client's
   * life (the `ranking` event carries whole lists either way).
   */
  private speaking: 1 | 2;
  private reconnectCount = 0;
  private everConnected = false;
  private rttValue: number | undefined;
  private endpointLabel: string | undefined;
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
    this.speaking = options.protocolVersion ?? PROTOCOL_VERSION;
    const random = options.random ?? Math.random;
    this.random = random;
    this.transport = options.transport ?? defaultTransport();
    this.backoff = new Backoff({ ...d.backoff, ...options.backoff, random });
    const fixed: DiscoveredEndpoint[] = (
      options.endpoints ??
      (options.host !== undefined || options.directory === undefined
        ? [{ host: options.host ?? '127.0.0.1', port: options.port ?? d.port, tls: options.tls }]
        : [])
    ).map((e) => ({
      id: `${e.host}:${e.port}`,
      host: e.host,
      port: e.port,
      tls: e.tls ?? true,
      ...(e.websocket === undefined ? {} : { websocket: e.websocket }),
    }));
    const overWebSocket = this.transport.kind === 'websocket';
    this.picker = new EndpointPicker({
      fixed,
      ...(options.directory === undefined ? {} : { directory: String(options.directory) }),
      refreshMs: options.discoveryRefreshMs ?? d.discoveryRefreshMs,
      timeoutMs: this.o.connectTimeoutMs,
      clock: this.clock,
      random,
      fetch: options.fetch ?? (globalThis.fetch as unknown as FetchLike),
      ...(overWebSocket ? { usable: (e: DiscoveredEndpoint) => e.websocket !== undefined } : {}),
      onDiscoveryError: (err) => this.report('discovery_failed', err.message),
    });
  }

  // ---- public surface ----

  get state(): ClientState {
    return this.stateValue;
  }
  /** The latest ranking, or null before the first `set_movies`. */
  get ranking(): Ranking | null {
    return this.rankingState.current;
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
    const seen = new SeenIds();
    if (opts.since !== undefined) seen.add(opts.since);
    this.feeds.set(movieId, opts.since === undefined ? { seen } : { last: opts.since, seen });
    if (this.stateValue === 'connected') this.sendStartFeed(movieId);
  }

  unfollow(movieId: number): void {
    if (!this.feeds.delete(movieId)) return;
    if (this.stateValue === 'connected')
      this.send({ action: 'stop_feed', params: { movie_id: movieId } });
  }

  /**
   * Closes for good: no reconnect. Resolves once the connection is closed (its queued
   * bytes flushed and the stream shut; a peer that never closes its half is cut off by
   * the transport, after 2 s at most for the Node one).
   */
  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    const closed = this.live === null ? null : this.liveClosed;
    this.shutdown();
    await closed;
  }

  // ---- connection attempts ----

  private canDial(target: EndpointAddress): boolean {
    return this.transport.kind !== 'websocket' || target.websocket !== undefined;
  }

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
      // A target this transport cannot dial (no WebSocket URL for a WebSocket client):
      // its delay was waited out; discovery picks instead.
      pick =
        redirect !== null && this.canDial(redirect.target)
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
    const { host, port, tls, websocket } = pick.target;
    this.endpointLabel =
      this.transport.kind === 'websocket' && websocket !== undefined
        ? websocket
        : addressLabel({ host, port, tls });
    let conn: LiveConnection | null = null;
    let stream: Stream;
    let settleClosed = () => {};
    const closed = new Promise<void>((resolve) => {
      settleClosed = resolve;
    });
    try {
      stream = await this.transport.connect(
        pick.target,
        {
          // Bytes cannot arrive before `connect` resolves (they are delivered on a
          // later task); `conn` is set right after.
          data: (chunk) => conn?.data(chunk),
          close: (err) => {
            settleClosed();
            conn?.transportClosed(err);
          },
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
    this.clearTimer(timeout);
    // The rest of the connect timeout covers the handshake: the server's first reply
    // (set_movies or pong) must arrive within it.
    conn = new LiveConnection(
      stream,
      pick,
      this.clock,
      this.o,
      this.owner,
      this.o.connectTimeoutMs - (this.clock.now() - startedAt),
    );
    this.live = conn;
    this.liveClosed = closed;
    conn.send({
      action: 'connect',
      params: {
        version: this.speaking,
        ...(this.options.rankingSize === undefined || this.speaking === 1
          ? {}
          : { ranking_size: this.options.rankingSize }),
        ...(this.options.liveCap === true && this.speaking !== 1 ? { live_cap: true } : {}),
        client: this.options.client ?? { name: 'filmgrain-client' },
        ...(this.options.token === undefined ? {} : { token: this.options.token }),
      },
    });
    conn.startPinging();
  }

  private retry(): void {
    if (this.stateValue === 'closed') return;
    const redirect = this.redirect;
    const delay = redirect ? Math.max(0, redirect.delayMs) : this.backoff.next();
    this.setTimer(() => void this.attempt(), delay);
    this.emit('retrying', { delayMs: delay, redirected: redirect !== null });
  }

  // ---- what the live connection reports ----

  private readonly owner: ConnectionOwner = {
    message: (conn, m) => {
      if (this.live === conn) this.handle(conn, m);
    },
    report: (err) => this.emit('error', err),
    closed: (conn, ending, err) => this.connectionClosed(conn, ending, err),
  };

  private report(code: ClientErrorCode, message: string): void {
    this.emit('error', clientError(code, message));
  }

  private connectionClosed(
    conn: LiveConnection,
    ending: ClientError | undefined,
    err?: Error,
  ): void {
    if (this.live !== conn) return;
    this.live = null;
    if (this.stateValue === 'closed') return;
    const reason =
      ending ??
      clientError('transport_failed', `${this.endpointLabel}: ${err?.message ?? 'closed'}`);
    if (ending === undefined) this.emit('error', reason);
    // A server that predates protocol v2 refuses it: speak v1 to it, at once (PROTOCOL.md
    // § 4). Only when the app left the version to us: one that asked for 2 gets the error.
    if (
      reason.origin === 'server' &&
      reason.code === 'unsupported_version' &&
      this.speaking === 2 &&
      this.options.protocolVersion === undefined
    ) {
      this.speaking = 1; // the server's error was reported as it arrived
      this.setTimer(() => void this.attempt(), 0);
      return;
    }
    // A fatal server error whose policy is `never` (unsupported_version, unauthorized):
    // reconnecting cannot help, the client stops.
    if (reason.origin === 'server' && reason.fatal && retryPolicy(reason.code, true) === 'never') {
      this.shutdown({ ...reason, fatal: true });
      return;
    }
    if (this.clock.now() - conn.connectedAt >= this.o.stableAfterMs && !conn.handshaking)
      this.backoff.reset();
    if (this.redirect === null) this.picker.fail(conn.pick.id);
    if (this.everConnected) this.setState('reconnecting', reason);
    this.retry();
  }

  // ---- server messages ----

  private handle(live: LiveConnection, m: ServerMessage): void {
    switch (m.action) {
      case 'set_movies':
        this.handshakeDone(live);
        this.emit('ranking', this.rankingState.set(m.params));
        return;
      case 'update_movies': {
        let ranking: Ranking;
        try {
          ranking = this.rankingState.update(m.params);
        } catch (err) {
          // Out of step with the server: a new connection starts with a full list.
          live.end(clientError('bad_message', `ranking update refused: ${String(err)}`));
          return;
        }
        this.emit('ranking', ranking);
        return;
      }
      case 'post_tweet': {
        const { movie_id: movieId, post_id: postId, tweet } = m.params;
        const feed = this.feeds.get(movieId);
        // Unfollowed meanwhile, or already seen (a replay after resume): drop.
        if (feed === undefined || !feed.seen.add(postId)) return;
        feed.last = postId;
        feed.refusals = 0;
        const gap = (m.params as { gap?: unknown }).gap === true;
        this.emit('post', { movieId, postId, tweet, gap, skipped: m.params.skipped ?? 0 });
        return;
      }
      case 'feed_started': {
        const { movie_id: movieId, backlog } = m.params;
        if (this.feeds.has(movieId)) this.emit('live', { movieId, backlog });
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
        // The codes table says what to do (protocol/codes.ts `retry`). A feed the server
        // refused for good is forgotten, so a resume does not loop; a passing failure of
        // a `start_feed` (e.g. `internal_error`: the endpoint's store was unreachable) is
        // asked again with jittered back-off while the movie is followed.
        const policy = retryPolicy(p.code, p.fatal);
        if (policy === 'drop_feed' && p.movie_id !== undefined) this.feeds.delete(p.movie_id);
        if (
          policy === 'backoff' &&
          !p.fatal &&
          p.in_reply_to === 'start_feed' &&
          p.movie_id !== undefined
        )
          this.retryStartFeed(live, p.movie_id);
        this.emit('error', err);
        if (p.fatal) live.end(err);
        return;
      }
      case 'reconnect': {
        const { host, port, tls, websocket, reason, delay_ms } = m.params;
        const redirect: Redirect = {
          target: { host, port, tls, ...(websocket === undefined ? {} : { websocket }) },
          reason,
          delayMs: Math.min(Math.max(0, delay_ms ?? 0), CLIENT_DEFAULTS.backoff.capMs),
        };
        this.emit('redirect', redirect);
        this.redirect = redirect;
        live.leave(clientError('redirected', `redirected to ${host}:${port} (${reason})`));
        return;
      }
      default: {
        const unreachable: never = m;
        throw new Error(`unhandled ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private handshakeDone(live: LiveConnection): void {
    if (!live.handshakeDone()) return;
    this.picker.succeed();
    if (this.everConnected) this.reconnectCount++;
    this.everConnected = true;
    this.setState('connected');
    for (const movieId of this.feeds.keys()) this.sendStartFeed(movieId);
  }

  /** Full jitter over START_FEED_RETRY's window; reset once a post arrives (see `post`). */
  private retryStartFeed(live: LiveConnection, movieId: number): void {
    const feed = this.feeds.get(movieId);
    if (feed === undefined) return;
    feed.refusals = (feed.refusals ?? 0) + 1;
    const delay = this.random() * backoffWindow(feed.refusals - 1, START_FEED_RETRY);
    this.setTimer(() => {
      if (this.live === live && this.feeds.get(movieId) === feed) this.sendStartFeed(movieId);
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
    this.live?.send(message);
  }

  private shutdown(reason?: ClientError): void {
    this.gen++;
    this.opening?.abort();
    this.opening = null;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    const live = this.live;
    this.live = null;
    live?.dispose();
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

/**
 * The transport when none is given: the platform's WebSocket (browsers, Deno, Node ≥ 22),
 * so `createClient({directory})` just works in a page. Node's TLS transport lives on its
 * own entry (`filmgrain/client/node`), which keeps `node:` imports out of this core.
 */
function defaultTransport(): Transport {
  if (typeof globalThis.WebSocket === 'function') return webSocketTransport();
  return {
    connect: () =>
      Promise.reject(
        new Error(
          'no transport: pass `transport`, or import createClient from filmgrain/client/node',
        ),
      ),
  };
}

/** Creates a client; call `connect()` to start. */
export function createClient(options: ClientOptions = {}): FilmgrainClient {
  return new FilmgrainClient(options);
}

/**
 * The endpoint core: holds sessions, follows the engine for the movies they watch and
 * fans posts and rankings out. Transport-agnostic: listener.ts feeds it connections.
 *
 * Fan-out (the hot path) is built for very large audiences:
 * - each post is encoded once into a Buffer shared by every recipient;
 * - a session's output is queued and written once per flush (one `write` per client
 *   per flush, not one per message — on this machine ~30× faster);
 * - live fan-out is flushed in passes spaced by an adaptive coalescing window
 *   (flush-pacer.ts): none when idle or while a pass costs at most
 *   `flushWindowThresholdMs` of CPU (or only now and then more: a window opens after
 *   `flushWindowAfterPasses` dear passes in a row), up to `flushWindowMaxMs` when flushing gets
 *   expensive, so a hot feed costs one TLS record per client per window, not per post;
 *   replies (pong, errors, set_movies after connect, a backlog) skip the window;
 * - a flush writes at most `flushSlice` sessions per turn, for at most `flushTurnMs`,
 *   and yields, so a broadcast to 100,000 clients never blocks the event loop for
 *   long (a ping waits one turn at most), and each connection has
 *   at most one write in flight (the rest waits in its queue, coalescing);
 * - one timer checks deadlines (no per-client timers or closures): every tick the
 *   sessions still awaiting `connect` (a few), and every tenth of the idle timeout the
 *   whole table for silence; a pass over 19,000 sessions each second was most of what
 *   merely holding idle clients cost (bench:conns "holding the clients").
 */
import { after, every } from '../clock/clock.js';
import { CatchUp, type HoldBound } from '../engine/catch-up.js';
import type { Engine, FeedPost, Ranking } from '../engine/engine.js';
import {
  type ErrorCode,
  isPostIdAhead,
  type PostTweetMessage,
  type ReconnectMessage,
} from '../protocol/index.js';
import { PendingFeed } from './backlog-pacer.js';
import type { Connection } from './connection.js';
import { encodeLine } from './encode.js';
import { FlushPacer } from './flush-pacer.js';
import { procKernelQueues } from './kernel-queue.js';
import { LimitLog } from './limit-log.js';
import { LiveCap } from './live-cap.js';
import { DEFAULT_ENDPOINT_OPTIONS, type EndpointOptions } from './options.js';
import { type RankingGroup, RankingPush } from './ranking-push.js';
import {
  type EncodedPost,
  type Feed,
  type FlushList,
  Session,
  type SessionHost,
} from './session.js';
import { EndpointStats } from './stats.js';

/**
 * A `since` this far past the endpoint's clock is "from the future": more than the clock
 * difference between the store that stamps post ids (Redis) and this process can be.
 */
const SINCE_AHEAD_TOLERANCE_MS = 60_000;
/**
 * Shortest time between two reads of the kernel's queues asked for by a paced backlog
 * (measureSoon); a read of /proc/net/tcp costs ~150 bytes of text per socket (kernel-queue.ts).
 */
const EARLY_CHECK_MS = 20;

/** A `closing` session whose socket has not closed after this long is destroyed. */
const CLOSE_GRACE_MS = 2000;

/** Where a `reconnect` sends a client. */
export type RedirectTarget = ReconnectMessage['params'];

export class Endpoint implements SessionHost {
  readonly options: EndpointOptions;
  readonly stats = new EndpointStats();
  /** Reports limits that bite (the transport adapters report theirs here too). */
  readonly limitLog: LimitLog;
  private readonly sessions = new Set<Session>();
  /** Sessions that have not sent `connect` yet: the handshake deadline's to check. */
  private readonly awaiting = new Set<Session>();
  /** Connected version 1 sessions: the ones a new full list is owed to. */
  private readonly v1Sessions = new Set<Session>();
  /** When the whole table was last checked for idle sessions (clock ms). */
  private idleSweptAt = Number.NEGATIVE_INFINITY;
  private readonly closing = new Set<Session>();
  /** Who watches each movie. The engine subscription exists exactly while non-empty. */
  private readonly audiences = new Map<number, Set<Session>>();
  /** The engine subscription of each audience; resolved once it is active. */
  private readonly subscriptions = new Map<number, Promise<void>>();
  private readonly perIp = new Map<string, number>();
  /** The live rate cap of each watched movie, for its v2 followers (live-cap.ts). */
  private readonly liveCaps = new Map<number, LiveCap>();
  /** Sessions owed a reply: written on the next turn, whatever the window. */
  private express: Session[] = [];
  /** The pass being written (sessions dirty when it started), from `passAt` on. */
  private pass: Session[] = [];
  private passAt = 0;
  /** Sessions dirtied since the pass started: the next pass, after the window. */
  private next: Session[] = [];
  private turnPending = false;
  private windowTimer: NodeJS.Timeout | null = null;
  private readonly pacer: FlushPacer;
  private readonly turn = () => {
    this.turnPending = false;
    this.flushTurn();
  };
  private readonly windowOver = () => {
    this.windowTimer = null;
    this.flushTurn(true);
  };
  /**
   * The `set_movies` line every client is owed. Until the first ranking arrives (a
   * fresh deployment, or the store unreachable at start) it is an empty list, so
   * `connect` is always answered; the real one is pushed as soon as it exists.
   */
  private rankingLine: Buffer = encodeLine({
    action: 'set_movies',
    params: { movies: [], generated_at: 0 },
  });
  /** The v1 list in `rankingLine`, as JSON: a ranking that changes no v1 field is not re-sent. */
  private rankingJson = '';
  /** The ranking's movie ids (the catalog), or null before the first ranking arrives. */
  private knownMovies: Set<number> | null = null;
  private readonly stopSweep: () => void;
  /** Protocol v2: the per-`ranking_size` groups and their deltas. */
  readonly rankingPush: RankingPush;
  private readonly rankingMembers = new Map<RankingGroup, Set<Session>>();
  private readonly stopKernelCheck: () => void;
  private readonly kernelQueues = procKernelQueues();
  private kernelCheckRunning = false;
  /**
   * Reading the kernel's TCP table costs a parse of every socket of the machine, so it
   * is read only when it can matter: when some client may hold more than
   * `kernelReadTrigger` bytes in the kernel (its last reading plus what was written to
   * it since), while some client had bytes there at the last reading (it may be
   * stalled). Nothing else can push a client past the bound: its kernel queue is at most
   * its last reading plus what was written since, so a fleet of idle clients that get
   * a small ranking delta now and then costs a reading every few minutes, not every few
   * seconds (one reading of 19,000 sockets' table costs ~50-100 ms of CPU).
   */
  private kernelReadWanted = true;
  private readonly kernelReadTrigger: number;
  /** The pending early kernel-queue read (measureSoon), if any. */
  private earlyCheck: (() => void) | null = null;
  private readonly stopRanking: () => void;
  private readonly ranking = (session: Session) => this.rankingLineFor(session);
  /**
   * Live posts held while a backlog loads are bounded like the output queue; past it
   * the client is cut off like a slow consumer (it resumes with `since`).
   */
  private readonly holdBound: HoldBound<EncodedPost>;

  constructor(
    private readonly engine: Engine,
    options: Partial<EndpointOptions> = {},
  ) {
    this.options = { ...DEFAULT_ENDPOINT_OPTIONS, ...options };
    this.limitLog = new LimitLog(this.options.clock, this.options.logLimit);
    this.pacer = new FlushPacer(
      {
        maxWindowMs: this.options.flushWindowMaxMs,
        gain: this.options.flushWindowGain,
        thresholdMs: this.options.flushWindowThresholdMs,
        afterPasses: this.options.flushWindowAfterPasses,
      },
      this.options.elapsed,
      this.options.cpuMs,
    );
    this.stopSweep = every(this.options.clock, this.options.sweepIntervalMs, () => this.sweep());
    this.kernelReadTrigger = Math.min(32 * 1024, this.options.maxOutgoingBytes / 4);
    this.stopKernelCheck =
      this.options.kernelQueueCheckMs > 0 && this.kernelQueues.available
        ? every(this.options.clock, this.options.kernelQueueCheckMs, () => {
            if (this.kernelReadWanted) void this.checkKernelQueues();
          })
        : () => {};
    this.holdBound = {
      max: this.options.maxOutgoingBytes,
      weigh: (p) => p.line.length,
      onExceed: 'give_up',
    };
    this.rankingPush = new RankingPush(
      {
        orderIntervalMs: this.options.rankingOrderIntervalMs,
        countIntervalMs: this.options.rankingCountIntervalMs,
        urgentTop: this.options.rankingUrgentTop,
      },
      this.options.clock,
      (group) => {
        for (const session of this.rankingMembers.get(group) ?? []) session.oweRanking();
      },
    );
    this.stopRanking = engine.onRanking((r) => this.setRanking(r));
    engine.getRanking().then(
      (r) => {
        if (r !== null && this.knownMovies === null) this.setRanking(r);
      },
      () => {},
    );
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Connections held now from one address (what `maxConnectionsPerIp` counts). */
  connectionsFrom(address: string): number {
    return this.perIp.get(address) ?? 0;
  }

  /**
   * Decides about each new connection before it is admitted: 'accept', or a target to
   * redirect it to (the load balancer sets this; see balancer.ts).
   */
  admission: ((connections: number) => 'accept' | RedirectTarget) | null = null;

  /** A new transport connection. Returns its session (the adapter routes bytes to it). */
  accept(conn: Connection): Session {
    const session = new Session(conn, this);
    const { maxConnections, maxConnectionsPerIp } = this.options;
    const verdict = this.admission?.(this.sessions.size) ?? 'accept';
    if (verdict !== 'accept') {
      this.redirect(session, verdict);
      return session;
    }
    if (maxConnections > 0 && this.sessions.size >= maxConnections) {
      this.limitLog.bite('max_connections', { max: maxConnections });
      session.fail(
        'server_full',
        `this endpoint holds its maximum of ${maxConnections} connections`,
      );
      return session;
    }
    const fromIp = this.perIp.get(conn.remoteAddress) ?? 0;
    if (maxConnectionsPerIp > 0 && fromIp >= maxConnectionsPerIp) {
      this.limitLog.bite('max_connections_per_ip', {
        address: conn.remoteAddress,
        max: maxConnectionsPerIp,
      });
      session.fail(
        'too_many_connections',
        `at most ${maxConnectionsPerIp} connections per address`,
      );
      return session;
    }
    this.perIp.set(conn.remoteAddress, fromIp + 1);
    this.sessions.add(session);
    this.awaiting.add(session);
    this.stats.connectionsOpened++;
    return session;
  }

  // ---- SessionHost ----

  connected(session: Session): void {
    this.awaiting.delete(session);
    if (session.rankingSize === 0) this.v1Sessions.add(session);
    else {
      const group = this.rankingPush.join(Math.min(session.rankingSize, this.options.rankingSize));
      session.rankingGroup = group;
      let members = this.rankingMembers.get(group);
      if (members === undefined) {
        members = new Set();
        this.rankingMembers.set(group, members);
      }
      members.add(session);
    }
    session.oweRanking(true);
  }

  startFeed(session: Session, movieId: number, since: string | undefined): void {
    if (this.knownMovies !== null && !this.knownMovies.has(movieId)) {
      session.fail('unknown_movie', `no movie ${movieId} in the catalog`, 'start_feed', movieId);
      return;
    }
    if (session.feeds.has(movieId)) {
      // Restarting a feed replays from `since` (or the backlog) again: drop the old one.
      this.stopFeed(session, movieId);
    }
    if (session.feeds.size >= this.options.maxFeeds) {
      session.fail(
        'too_many_feeds',
        `a connection may follow at most ${this.options.maxFeeds} feeds`,
        'start_feed',
        movieId,
      );
      return;
    }
    // A `since` from the future has nothing after it in history, and every live post is
    // new to the client: release them all (PROTOCOL.md § 4, `start_feed`).
    const ahead =
      since !== undefined &&
      isPostIdAhead(since, this.options.clock.now(), SINCE_AHEAD_TOLERANCE_MS);
    const catchUp = new CatchUp<EncodedPost>(
      (p) => p.post.postId,
      this.holdBound,
      ahead ? undefined : since,
    );
    const feed: Feed = { catchUp, pending: null };
    session.feeds.set(movieId, feed);
    let audience = this.audiences.get(movieId);
    let subscribed = this.subscriptions.get(movieId);
    if (audience === undefined || subscribed === undefined) {
      audience = new Set();
      this.audiences.set(movieId, audience);
      subscribed = this.engine.subscribe(movieId, (posts) => this.deliver(movieId, posts));
      this.subscriptions.set(movieId, subscribed);
    }
    audience.add(session);
    this.stats.feedsStarted++;
    // Subscribe first, then read history: the catch-up holds live posts meanwhile and
    // releases only those newer than the backlog (no gap, no duplicate).
    subscribed
      .then(() =>
        this.engine.history(movieId, {
          limit: since === undefined ? this.options.backlog : Number.MAX_SAFE_INTEGER,
          ...(since === undefined ? {} : { since }),
        }),
      )
      .then(
        ({ posts, gap }) => {
          if (session.feeds.get(movieId) !== feed) return; // stopped meanwhile
          const backlog = posts.map((post, i) => ({
            post,
            line: this.encodePost(post, gap && i === 0),
          }));
          feed.catchUp = null;
          // History first, then `feed_started` (where the backlog ends), then the live
          // posts held meanwhile; paced to the client as its connection drains, with
          // live posts behind it until all of it is queued.
          const { items, heldFrom } = catchUp.release(backlog);
          const lines = items.map((item) => item.line);
          lines.splice(heldFrom, 0, this.feedStartedLine(movieId, heldFrom));
          const pending = new PendingFeed(lines, this.options.maxOutgoingBytes, () => {
            if (feed.pending === pending) feed.pending = null;
          });
          feed.pending = pending;
          session.pace(pending);
        },
        () => {
          if (session.feeds.get(movieId) !== feed) return;
          // The store is unreachable: say so for this feed only and let the client retry.
          this.stopFeed(session, movieId);
          session.fail(
            'internal_error',
            'the feed could not be started; retry',
            'start_feed',
            movieId,
          );
        },
      );
  }

  stopFeed(session: Session, movieId: number): void {
    const feed = session.feeds.get(movieId);
    if (feed === undefined) return; // stopping an unfollowed feed is a no-op
    session.feeds.delete(movieId);
    if (feed.pending !== null) feed.pending.dropped = true;
    this.stats.feedsStopped++;
    const audience = this.audiences.get(movieId);
    if (audience === undefined) return;
    audience.delete(session);
    if (audience.size === 0) {
      this.audiences.delete(movieId);
      this.liveCaps.delete(movieId);
      this.subscriptions.delete(movieId);
      this.engine.unsubscribe(movieId).catch(() => {});
    }
  }

  schedule(session: Session, urgent: boolean): void {
    if (urgent) this.express.push(session);
    else this.next.push(session);
    this.kick();
  }

  /** The current coalescing window in ms (0 when idle), for metrics and tests. */
  get flushWindowMs(): number {
    return this.pacer.window;
  }

  closed(session: Session): void {
    if (session.state === 'closing') this.closing.add(session);
    else this.closing.delete(session);
    if (!this.sessions.delete(session)) return;
    this.awaiting.delete(session);
    this.v1Sessions.delete(session);
    for (const movieId of [...session.feeds.keys()]) this.stopFeed(session, movieId);
    const group = session.rankingGroup;
    if (group !== null) {
      session.rankingGroup = null;
      const members = this.rankingMembers.get(group);
      members?.delete(session);
      if (members?.size === 0) this.rankingMembers.delete(group);
      this.rankingPush.leave(group);
    }
    const ip = session.conn.remoteAddress;
    const n = (this.perIp.get(ip) ?? 1) - 1;
    if (n <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, n);
    this.stats.connectionsClosed++;
  }

  errorSent(code: ErrorCode): void {
    this.stats.errorSent(code);
  }

  received(bytes: number): void {
    this.stats.bytesIn += bytes;
  }

  lineReceived(): void {
    this.stats.messagesIn++;
  }

  get kernelChecked(): boolean {
    return this.options.kernelQueueCheckMs > 0 && this.kernelQueues.available;
  }

  measureSoon(): void {
    if (this.earlyCheck !== null || !this.kernelChecked) return;
    // One extra read of the kernel's queues for all waiting sessions, at most every
    // EARLY_CHECK_MS: a paced resume goes as fast as the client reads (measured by the
    // queue draining), not at half the bound per regular check interval.
    this.earlyCheck = after(this.options.clock, EARLY_CHECK_MS, () => {
      this.earlyCheck = null;
      void this.checkKernelQueues();
    });
  }

  // ---- fan-out ----

  private deliver(movieId: number, posts: FeedPost[]): void {
    const audience = this.audiences.get(movieId);
    if (audience === undefined) return;
    // Encode the batch once, then visit each session once for the whole batch (not
    // once per post): one feed lookup and one queue-bound check per session per batch.
    const lines = posts.map((post) => this.encodePost(post, post.gap === true));
    this.stats.postsIn += posts.length;
    let bytes = 0;
    for (const line of lines) bytes += line.length;
    let held: EncodedPost[] | undefined; // built once, for the sessions still loading
    let capped: { lines: Buffer[]; bytes: number } | undefined; // once, for v2 followers
    // The batch as one Buffer, joined once for all followers: each one's queue gets one
    // entry instead of one per post, and a client owed only this batch is written it
    // as is — not a copy of its own (10,000 copies of a 50 KB batch per pass were most
    // of the garbage, and of the GC pauses, in bench:fanout's max mode).
    let joined: Buffer[] | undefined; // built at the first follower that takes it as is
    for (const session of audience) {
      const feed = session.feeds.get(movieId);
      if (feed === undefined) continue;
      if (feed.catchUp !== null) {
        // Live posts wait while the backlog loads; if that takes so long they pass the
        // output bound, the client is cut off like a slow consumer (it resumes with since).
        held ??= posts.map((post, i) => ({ post, line: lines[i]! }));
        if (!feed.catchUp.hold(held)) session.slowConsumer();
      } else if (session.liveCapped && this.options.liveCapPerSecond > 0) {
        // A v2 client that asked for the readable rate (the others get every post).
        capped ??= this.capLive(movieId, posts, lines);
        if (capped.lines.length > 0) this.sendLiveTo(session, feed, capped.lines, capped.bytes);
      } else if (feed.pending === null) {
        joined ??= [lines.length === 1 ? lines[0]! : Buffer.concat(lines, bytes)];
        session.sendLive(joined, bytes, lines.length);
      } else this.sendLiveTo(session, feed, lines, bytes);
    }
  }

  /** Live posts for one follower: behind its backlog while that is paced out, bounded. */
  private sendLiveTo(session: Session, feed: Feed, lines: Buffer[], bytes: number): void {
    if (feed.pending === null) session.sendLive(lines, bytes);
    else if (!feed.pending.addLive(lines, bytes)) session.slowConsumer();
  }

  /**
   * The posts of a batch the movie's live cap lets through, each decided once for all
   * its capped followers; one that follows skipped posts is re-encoded with their count.
   */
  private capLive(
    movieId: number,
    posts: readonly FeedPost[],
    lines: readonly Buffer[],
  ): { lines: Buffer[]; bytes: number } {
    let cap = this.liveCaps.get(movieId);
    if (cap === undefined) {
      const { liveCapPerSecond, liveCapBurst, clock } = this.options;
      cap = new LiveCap(liveCapPerSecond, liveCapBurst, clock);
      this.liveCaps.set(movieId, cap);
    }
    const out: Buffer[] = [];
    let bytes = 0;
    for (let i = 0; i < posts.length; i++) {
      const post = posts[i]!;
      const admitted = cap.admit(post.gap === true);
      if (admitted === null) {
        this.stats.liveSkipped++;
        continue;
      }
      const line =
        admitted.skipped === 0 && admitted.gap === (post.gap === true)
          ? lines[i]!
          : this.encodePost(post, admitted.gap, admitted.skipped);
      out.push(line);
      bytes += line.length;
    }
    return { lines: out, bytes };
  }

  private feedStartedLine(movieId: number, backlog: number): Buffer {
    return encodeLine({ action: 'feed_started', params: { movie_id: movieId, backlog } });
  }

  private encodePost(post: FeedPost, gap: boolean, skipped = 0): Buffer {
    const params: PostTweetMessage['params'] = {
      movie_id: post.movieId,
      post_id: post.postId,
      tweet: post.tweet,
    };
    if (gap) params.gap = true;
    if (skipped > 0) params.skipped = skipped;
    return encodeLine({ action: 'post_tweet', params });
  }

  private setRanking(ranking: Ranking): void {
    this.knownMovies = new Set(ranking.movies.map((m) => m.id));
    this.rankingPush.update(ranking);
    // v1 lists carry no `trend` (v1 stays byte for byte what it was); a ranking whose
    // only change is a trend is therefore no news to a v1 client.
    const movies = ranking.movies
      .slice(0, this.options.rankingSize)
      .map(({ trend: _t, ...v1 }) => v1 as (typeof ranking.movies)[number]);
    const json = JSON.stringify(movies);
    if (json === this.rankingJson) return;
    this.rankingJson = json;
    this.rankingLine = encodeLine({
      action: 'set_movies',
      params: { movies, generated_at: ranking.generatedAt },
    });
    for (const session of this.v1Sessions) session.oweRanking();
  }

  /** The ranking line `session` is owed at this flush, or null when it holds the latest. */
  private rankingLineFor(session: Session): Buffer | null {
    const group = session.rankingGroup;
    const line = group === null ? this.rankingLine : group.lineFor(session.rankingSeq);
    if (group !== null) session.rankingSeq = group.seq;
    if (line !== null) {
      if (group !== null && line === group.delta) this.stats.rankingDeltasOut++;
      else this.stats.rankingFullOut++;
    }
    return line;
  }

  /** Makes sure a flush turn comes: next turn, or when the window is over. */
  private kick(): void {
    if (this.turnPending) return;
    const passLeft = this.passAt < this.pass.length;
    if (this.express.length > 0 || passLeft) {
      this.turnPending = true;
      setImmediate(this.turn);
      return;
    }
    if (this.next.length === 0 || this.windowTimer !== null) return;
    const wait = this.pacer.delay();
    if (wait > 0) this.windowTimer = setTimeout(this.windowOver, wait);
    else {
      this.turnPending = true;
      setImmediate(this.turn);
    }
  }

  /**
   * One turn of flushing, at most `flushSlice` writes or `flushTurnMs`: replies first
   * (a ping is never answered behind a broadcast), then the current pass; a new pass
   * starts only once the window since the last one is over.
   */
  private flushTurn(windowOver = false): void {
    let budget = this.options.flushSlice;
    const { elapsed } = this.options;
    const until = elapsed() + this.options.flushTurnMs;
    let e = 0;
    for (; e < this.express.length && budget > 0; e++) {
      if (this.write(this.express[e]!, 'urgent')) budget = elapsed() >= until ? 0 : budget - 1;
    }
    this.express = e === this.express.length ? [] : this.express.slice(e);
    const mayStart = windowOver || this.pacer.delay() === 0; // the timer is the window
    if (this.passAt >= this.pass.length && this.next.length > 0 && mayStart) {
      this.pass = this.next;
      this.passAt = 0;
      this.next = [];
      this.pacer.started();
    }
    while (this.passAt < this.pass.length && budget > 0) {
      // The clock is read after each write: ~40 ns against a write's ~20 µs.
      if (this.write(this.pass[this.passAt++]!, 'live'))
        budget = elapsed() >= until ? 0 : budget - 1;
    }
    if (this.pass.length > 0 && this.passAt >= this.pass.length) {
      this.pass = [];
      this.passAt = 0;
      this.pacer.finished();
      this.stats.flushPasses++;
      if (this.pacer.window > 0) this.stats.flushWindowsOpened++;
    }
    this.kick();
  }

  /** Writes what a session is owed, if anything and no write is in flight. */
  private write(session: Session, from: FlushList): boolean {
    const out = session.takeOutput(this.ranking, from);
    if (out === null) return false;
    this.stats.messagesOut += out.lines;
    this.stats.bytesOut += out.bytes;
    if (session.wroteBytes(out.bytes) > this.kernelReadTrigger) this.kernelReadWanted = true;
    session.conn.write(out.chunks, session.written);
    return true;
  }

  /**
   * Deadlines. `connect`'s is checked every tick over the sessions awaiting it; silence
   * over every session once a tenth of the idle timeout has passed, so a silent client
   * is closed within 1.1 × the timeout (45-50 s by default; PROTOCOL.md § 7).
   */
  private sweep(): void {
    const now = this.options.clock.now();
    const { handshakeTimeoutMs, idleTimeoutMs, sweepIntervalMs } = this.options;
    const idleDue = now - this.idleSweptAt >= Math.max(sweepIntervalMs, idleTimeoutMs / 10);
    if (idleDue) this.idleSweptAt = now;
    for (const session of idleDue ? this.sessions : this.awaiting) {
      if (session.state === 'awaiting_connect' && now - session.openedAt > handshakeTimeoutMs)
        session.fail('handshake_timeout', `connect must arrive within ${handshakeTimeoutMs} ms`);
      else if (now - session.lastReceivedAt > idleTimeoutMs)
        session.fail('idle_timeout', `nothing received for ${idleTimeoutMs} ms`);
    }
    for (const session of this.closing)
      if (now - session.closingAt > CLOSE_GRACE_MS) {
        this.closing.delete(session);
        session.conn.destroy();
      }
  }

  /**
   * Counts each client's kernel send queue against the slow-consumer bound (and pauses
   * ranking pushes for a client that is not reading). Skipped while a read is running.
   */
  private async checkKernelQueues(): Promise<void> {
    if (this.kernelCheckRunning || this.sessions.size === 0) return;
    this.kernelCheckRunning = true;
    // Writes from here on are not covered by this reading: they stay counted.
    for (const session of this.sessions) session.kernelCheckStarts();
    this.kernelReadWanted = false;
    let anyQueued = false;
    try {
      const queues = await this.kernelQueues.read();
      for (const session of this.sessions) {
        const key = session.conn.kernelKey;
        if (key === undefined || session.state === 'closing' || session.state === 'closed')
          continue;
        const ok = session.kernelQueue(queues.get(key) ?? 0);
        if (!ok) session.slowConsumer();
        else if (session.kernelQueuedBytes > 0) anyQueued = true;
      }
    } catch {
      // the table could not be read this time: user-space bytes still count; try again
      anyQueued = true;
    } finally {
      this.kernelCheckRunning = false;
      // Bytes still in some kernel queue (a stalled reader, or one busy reading): keep
      // reading until they drain.
      if (anyQueued) this.kernelReadWanted = true;
    }
  }

  /** Up to `n` connected sessions, oldest first (candidates for a redirect). */
  someSessions(n: number): Session[] {
    const out: Session[] = [];
    for (const session of this.sessions) {
      if (out.length >= n) break;
      if (session.state === 'open' || session.state === 'awaiting_connect') out.push(session);
    }
    return out;
  }

  /** Tells a client to move to another endpoint (`reconnect`), then closes it. */
  redirect(session: Session, target: RedirectTarget): void {
    this.stats.redirects++;
    session.closeWith(encodeLine({ action: 'reconnect', params: target }));
  }

  /** Sends a final line to every client (e.g. `shutting_down`) and closes them. */
  closeAll(line: Buffer): void {
    for (const session of [...this.sessions]) session.closeWith(line);
  }

  /**
   * Resolves once every connection has closed, or after `ms`: what a shutdown waits
   * for between `closeAll` and `close`, so a client whose socket was backed up still
   * gets its final line (close() would drop what is still queued).
   */
  async settle(ms = CLOSE_GRACE_MS): Promise<void> {
    // Wall time, not options.clock: a test's fake clock would never end the wait.
    const deadline = performance.now() + ms;
    while ((this.sessions.size > 0 || this.closing.size > 0) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
  }

  async close(): Promise<void> {
    this.stopSweep();
    this.stopKernelCheck();
    this.earlyCheck?.();
    if (this.windowTimer !== null) clearTimeout(this.windowTimer);
    this.stopRanking();
    this.rankingPush.close();
    for (const session of [...this.sessions, ...this.closing]) session.conn.destroy();
  }
}

/**
 * One client connection: its state machine, its inbound line parser and its outbound
 * queue. Every state change happens in `setState`. The session knows nothing of
 * sockets (see Connection) and nothing of other clients (the Endpoint fans out).
 */

import type { CheckResult } from '../auth/verifier.js';
import type { CatchUp } from '../engine/catch-up.js';
import type { FeedPost } from '../engine/engine.js';
import {
  type ClientMessage,
  type ConnectMessage,
  type ErrorCode,
  errorMessage,
  isFatal,
  type LineSink,
  LineSplitter,
  parseClientLine,
} from '../protocol/index.js';
import { BacklogPacer, type PendingFeed } from './backlog-pacer.js';
import type { Connection } from './connection.js';
import { encodeLine } from './encode.js';
import type { EndpointOptions } from './options.js';
import type { RankingGroup } from './ranking-push.js';
import { TokenBucket } from './token-bucket.js';

/** What a session asks of the endpoint that holds it. */
export interface SessionHost {
  readonly options: EndpointOptions;
  connected(session: Session): void;
  startFeed(session: Session, movieId: number, since: string | undefined): void;
  stopFeed(session: Session, movieId: number): void;
  /**
   * The session has output queued: write it on a flush. `urgent` output (a reply to the
   * client's own message: pong, error, set_movies after connect, a feed's backlog) goes
   * out on the next turn; live fan-out waits for the coalescing window (flush-pacer.ts).
   */
  schedule(session: Session, urgent: boolean): void;
  /** The session is closed: forget it. */
  closed(session: Session): void;
  /** Counts an error sent, by code (metrics). */
  errorSent(code: ErrorCode): void;
  /** Counts bytes received (metrics). */
  received(bytes: number): void;
  /** Counts a complete line received, valid or not (metrics). */
  lineReceived(): void;
  /** The kernel's send queue of TCP clients is measured (kernel-queue.ts). */
  readonly kernelChecked: boolean;
  /** A paced backlog waits for a measurement of the kernel's queue: take one soon. */
  measureSoon(): void;
}

type ConnectParams = ConnectMessage['params'];

export type SessionState = 'awaiting_connect' | 'open' | 'closing' | 'closed';

/** A live post encoded once for every recipient. */
export interface EncodedPost {
  post: FeedPost;
  line: Buffer;
}

/**
 * A followed feed. While its backlog loads, `catchUp` holds the live posts (bounded in
 * bytes like the output queue: a stuck history read must not grow it). Once loaded, the
 * backlog is `pending` until the pacer has handed all of it to the output queue (live
 * posts go behind it meanwhile); both null once live.
 */
export interface Feed {
  catchUp: CatchUp<EncodedPost> | null;
  pending: PendingFeed | null;
}

/** What one flush writes to a session's transport. */
export interface Output {
  /** What to write, in order, as one write (Connection.write). */
  chunks: Buffer[];
  /** Their length in bytes. */
  bytes: number;
  /** Lines in them (metrics). */
  lines: number;
}

/** Which of the host's flush lists a session is taken from (see SessionHost.schedule). */
export type FlushList = 'urgent' | 'live';

/** A TLS record carries at most 16 KiB of plaintext. */
const FULL_RECORD_BYTES = 16 * 1024;

/**
 * Memory per idle connection (docs/CAPACITY.md, bench:tls-buffers): Node encrypts into a
 * buffer ring whose first buffer is 1 KiB; one TLS record that does not fit makes it
 * allocate 16 KiB more, kept for the life of the connection (+6 to +12 KiB of RSS once
 * touched). So what a quiet connection is owed (the first set_movies of a small v2
 * ranking, a ranking delta) goes out in writes of at most SMALL_WRITE_BYTES of
 * plaintext (+ 22 B of TLS 1.3 record overhead <= 1 KiB), one at a time. A busy
 * connection (written to in the last QUIET_MS) or a queue over SPLIT_UP_TO_BYTES (a v1
 * client's 7 KB set_movies: 8 writes per push would cost more CPU than the memory is
 * worth) is written at once: fewer records matter more there. Nor is a connection that
 * was once written more than SMALL_WRITE_BYTES at once (a v2 client of the full
 * 100-movie list got a 7 KB set_movies on connect): its buffer has grown already, and
 * splitting its 1-3 KB ranking deltas would only cost writes (bench:conns).
 */
const SMALL_WRITE_BYTES = 1000;
const SPLIT_UP_TO_BYTES = 4 * 1024;
const QUIET_MS = 1000;

const PONG_PREFIX = '{"action":"pong","params":{';

export class Session implements LineSink {
  state: SessionState = 'awaiting_connect';
  readonly openedAt: number;
  lastReceivedAt: number;
  /** When the session entered `closing` (it is destroyed if the close hangs). */
  closingAt = 0;
  readonly feeds = new Map<number, Feed>();
  /** Runs when the write in flight has left the process (one closure per session). */
  readonly written: () => void;
  /** The token's `sub` (the app's user id) once authenticated, for logs. */
  subject: string | undefined;
  /**
   * Protocol v2: the `ranking_size` group this client shares its pushes with (null for
   * v1), and the group's push `seq` the client holds (-1: none yet, owed a full list).
   */
  rankingGroup: RankingGroup | null = null;
  rankingSeq = -1;
  /** `ranking_size` asked in a v2 `connect` (0 = a v1 client). */
  rankingSize = 0;
  /** A v2 `connect` asked for the live rate cap (`live_cap: true`, live-cap.ts). */
  liveCapped = false;
  // The output queue: only this class touches it (the host takes it with takeOutput).
  /** Lines owed to the client, written together on the next flush. */
  private out: Buffer[] = [];
  private outBytes = 0;
  /** Protocol lines in `out` (an entry may hold several: a fan-out batch joined once). */
  private outLines = 0;
  /** The latest ranking is owed (written at flush time, so pushes coalesce). */
  private rankingOwed = false;
  /**
   * The owed ranking is the answer to `connect`: it is written even while the kernel
   * queue looks stalled (the check can read a busy, reading client as stalled), because
   * it must be the first line after `connect`, before any pong or error behind it.
   */
  private rankingAnswer = false;
  /** Waiting in the host's live flush list. */
  private scheduled = false;
  /** Waiting in the host's urgent list (replies: written on the next turn). */
  private expedited = false;
  /** Urgent output is queued (re-expedited if a write in flight holds it back). */
  private urgentOwed = false;
  /**
   * A write is in flight: the next one waits for it to leave the process. One write in
   * flight per connection keeps a backed-up client's bytes in `out` (coalescing there)
   * instead of in the socket, whose completions would all re-write at once.
   */
  private writing = false;
  /** When the last write started (options.elapsed); whether `out` starts with the rest of a split one. */
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private splitting = false;
  /** A write over SMALL_WRITE_BYTES went out: the transport's buffer has grown for good. */
  private wroteLarge = false;
  /** The kernel's send queue for this client at the last check (kernel-queue.ts). */
  private kernelQueued = 0;
  /**
   * Bytes handed to the transport since the last check, and how many of them before the
   * check in progress started: the kernel cannot hold more than `kernelQueued` plus
   * these, which lets the endpoint skip reading the kernel table while no client can be
   * near the bound (Endpoint.checkKernelQueues).
   */
  private writtenSinceCheck = 0;
  private writtenBeforeCheck = 0;
  /**
   * The kernel queue was not draining at the last check (non-zero, not smaller than the
   * check before): the client is not reading, so ranking pushes wait here, coalesced,
   * instead of piling up in the kernel (PROTOCOL.md: `set_movies` never piles up).
   */
  private stalled = false;
  /** Hands feeds' backlogs to `out` as the connection drains (made on the first). */
  private pacer: BacklogPacer | null = null;
  private readonly bucket: TokenBucket;
  private rateErrorAt = 0;
  /**
   * While `connect` waits for its token check (a JWKS refetch for an unknown `kid`):
   * what the client sent since, each as the step that handles it, in order (null
   * otherwise). Rate limited on arrival like any line, and at most `messageBurst` long.
   */
  private held: (() => void)[] | null = null;
  private readonly splitter: LineSplitter;

  constructor(
    readonly conn: Connection,
    private readonly host: SessionHost,
  ) {
    const { clock, messagesPerSecond, messageBurst, maxLineBytes } = host.options;
    this.openedAt = this.lastReceivedAt = clock.now();
    this.bucket = new TokenBucket(messagesPerSecond, messageBurst, clock);
    this.splitter = new LineSplitter(maxLineBytes, this);
    this.written = () => {
      this.writing = false;
      this.pump();
      if (this.out.length > 0 || this.rankingOwed) this.requestFlush(this.urgentOwed);
    };
  }

  /** Bytes from the transport. */
  receive(chunk: Buffer): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.lastReceivedAt = this.host.options.clock.now();
    this.host.received(chunk.length);
    this.splitter.push(chunk);
  }

  /** One whole message from a message-framed transport (websocket.ts): read as a line. */
  receiveMessage(frame: Buffer): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.lastReceivedAt = this.host.options.clock.now();
    this.host.received(frame.length);
    this.splitter.message(frame);
  }

  // ---- LineSink ----

  line(text: string): void {
    if (this.state !== 'open' && this.state !== 'awaiting_connect') return;
    this.host.lineReceived();
    if (!this.takeToken()) return;
    if (this.held !== null) this.held.push(() => this.parse(text));
    else this.parse(text);
  }

  private parse(text: string): void {
    const parsed = parseClientLine(text);
    if (!parsed.ok) {
      this.fail(parsed.code, parsed.message, parsed.action, parsed.movieId);
      return;
    }
    this.handle(parsed.message);
  }

  invalidEncoding(): void {
    // A line like any other: counted and rate limited (a flood of `\xff\n` must not
    // get one unthrottled error reply per 2-byte line).
    if (this.state !== 'open' && this.state !== 'awaiting_connect') return;
    this.host.lineReceived();
    if (!this.takeToken()) return;
    this.reply(() => this.fail('invalid_encoding', 'the line is not valid UTF-8'));
  }

  /** Runs `step` now, or in its turn after a `connect` still being checked. */
  private reply(step: () => void): void {
    if (this.held !== null) this.held.push(step);
    else step();
  }

  overflow(): void {
    this.fail(
      'line_too_long',
      `a line may hold at most ${this.host.options.maxLineBytes} bytes before its newline`,
    );
  }

  // ---- messages ----

  private handle(message: ClientMessage): void {
    if (message.action !== 'connect' && message.action !== 'ping' && this.state !== 'open') {
      this.fail('not_connected', `send connect before ${message.action}`, message.action);
      return;
    }
    switch (message.action) {
      case 'connect':
        if (this.state === 'open') {
          this.fail('already_connected', 'connect was already sent', 'connect');
          return;
        }
        {
          const { params } = message;
          const verdict = this.authorize(params.token);
          if (verdict === true) this.open(params);
          else if (verdict !== false) this.awaitVerdict(verdict, params);
        }
        return;
      case 'start_feed':
        this.host.startFeed(this, message.params.movie_id, message.params.since);
        return;
      case 'stop_feed':
        this.host.stopFeed(this, message.params.movie_id);
        return;
      case 'ping': {
        const ts = message.params.ts;
        // Hand-built: ping is the most frequent client message and the reply is fixed.
        const body = `${ts === undefined ? '' : `"ts":${ts},`}"server_time":${this.host.options.clock.now()}}}\n`;
        this.send(Buffer.from(PONG_PREFIX + body));
        return;
      }
      default: {
        const unreachable: never = message;
        throw new Error(`unhandled action ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private open(params: ConnectParams): void {
    if (params.version === 2) {
      this.rankingSize = params.ranking_size ?? this.host.options.rankingSize;
      this.liveCapped = params.live_cap === true;
    }
    this.setState('open');
    this.host.connected(this);
  }

  /**
   * The token check waits for a JWKS refetch: hold what the client sends meanwhile, then
   * open (or not) and handle it in order. The handshake deadline still runs (the state
   * stays `awaiting_connect`); a session closed meanwhile ignores the verdict.
   */
  private awaitVerdict(verdict: Promise<CheckResult>, params: ConnectParams): void {
    this.held = [];
    const settle = (ok: boolean) => {
      const held = this.held ?? [];
      this.held = null;
      if (this.state !== 'awaiting_connect') return;
      if (ok) this.open(params);
      for (let i = 0; i < held.length; i++) {
        // (Read through a widened type: each step may close the session or hold again.)
        const state = this.state as SessionState;
        if (state === 'closing' || state === 'closed') return;
        held[i]!();
        // A held `connect` (after a retryable refusal) waits in turn: the rest go behind it.
        const again = this.held as (() => void)[] | null;
        if (again !== null) {
          again.push(...held.slice(i + 1));
          return;
        }
      }
    };
    verdict.then(
      (result) => settle(this.state === 'awaiting_connect' && this.authorized(result)),
      () =>
        settle(
          this.state === 'awaiting_connect' &&
            this.authorized({ ok: false, reason: 'keys_unavailable' }),
        ),
    );
  }

  /**
   * With `auth` set, `connect` must carry a valid token: true (accepted), false (refused,
   * the error sent), or a Promise of the check when it waits for a key set refetch.
   */
  private authorize(token: string | undefined): boolean | Promise<CheckResult> {
    const { auth } = this.host.options;
    if (auth === undefined) return true;
    if (token === undefined) {
      this.fail('unauthorized', 'connect must carry a token', 'connect');
      return false;
    }
    const result = auth.check(token);
    return result instanceof Promise ? result : this.authorized(result);
  }

  /**
   * A check's verdict; the reason for a refusal goes in the message (it helps app
   * developers, and tells an attacker nothing the token itself does not). A key set we
   * could not fetch is not the token's fault: `internal_error` (non-fatal, `backoff`:
   * send connect again later) instead of `unauthorized` (fatal, `never`).
   */
  private authorized(result: CheckResult): boolean {
    if (result.ok) {
      this.subject = result.claims.sub;
      return true;
    }
    if (result.reason === 'keys_unavailable')
      this.fail(
        'internal_error',
        'the token cannot be checked now (the key set is unreachable); send connect again later',
        'connect',
      );
    else this.fail('unauthorized', `token refused: ${result.reason}`, 'connect');
    return false;
  }

  /** `messagesPerSecond` sustained, `messageBurst` at once; one error per second past it. */
  private takeToken(): boolean {
    const { messageBurst, messagesPerSecond, clock } = this.host.options;
    // Held lines count against the burst too: a connect that waits holds a bounded queue.
    if ((this.held === null || this.held.length < messageBurst) && this.bucket.take()) return true;
    // One error per second at most: a flood must not turn into a flood of errors.
    const t = clock.now();
    if (t - this.rateErrorAt >= 1000) {
      this.rateErrorAt = t;
      this.reply(() =>
        this.fail('rate_limited', `at most ${messagesPerSecond} messages per second`),
      );
    }
    return false;
  }

  // ---- output ----

  /** Bytes queued here and not yet written to the transport. */
  get queuedBytes(): number {
    return this.outBytes;
  }

  /**
   * What the slow-consumer bound counts: our queue, the socket's, the kernel's. The
   * socket holds bytes only while our one write is in flight (its completion empties
   * it), so it is asked only then: a broadcast checks every follower, and reading each
   * idle socket's stream state was a cache miss per client (~4 µs each, bench:conns).
   */
  get unsentBytes(): number {
    return this.outBytes + (this.writing ? this.conn.bufferedBytes : 0) + this.kernelQueued;
  }

  /**
   * The kernel's send queue for this client, as just measured. Returns false when the
   * client is over the slow-consumer bound (the caller cuts it).
   */
  kernelQueue(bytes: number): boolean {
    this.writtenSinceCheck -= this.writtenBeforeCheck;
    this.writtenBeforeCheck = 0;
    const wasStalled = this.stalled;
    this.stalled = bytes > 0 && bytes >= this.kernelQueued;
    this.kernelQueued = bytes;
    if (this.unsentBytes > this.host.options.maxOutgoingBytes) return false;
    this.pacer?.measured();
    this.pump();
    // Reading again: the ranking that waited goes out now.
    if (wasStalled && !this.stalled && this.rankingOwed) this.requestFlush(false);
    return true;
  }

  /** `bytes` were handed to the transport. Returns what the kernel may hold at most now. */
  wroteBytes(bytes: number): number {
    this.writtenSinceCheck += bytes;
    return this.kernelQueued + this.writtenSinceCheck;
  }

  /** A kernel-queue check starts: what was written so far is what its reading covers. */
  kernelCheckStarts(): void {
    this.writtenBeforeCheck = this.writtenSinceCheck;
  }

  /** Bytes in the kernel at the last check (0 = nothing there, not stalled). */
  get kernelQueuedBytes(): number {
    return this.kernelQueued;
  }

  /**
   * Owes the client a feed's backlog (and its `feed_started`): queued as the connection
   * drains, half the slow-consumer bound at a time (backlog-pacer.ts), so resuming
   * several feeds at once never passes the bound for a client that reads.
   */
  pace(feed: PendingFeed): void {
    this.pacer ??= new BacklogPacer(
      this.host.options.maxOutgoingBytes / 2,
      this.host.kernelChecked && this.conn.kernelKey !== undefined,
    );
    this.pacer.add(feed);
    this.pump();
  }

  /** Queues what the pacer may hand out now. */
  private pump(): void {
    if (this.pacer === null || this.state === 'closing' || this.state === 'closed') return;
    const batch = this.pacer.take(this.unsentBytes);
    if (batch !== null) this.sendMany(batch.lines, batch.bytes);
    if (this.pacer.waitingForMeasure) this.host.measureSoon();
  }

  /** Queues a reply line; a client whose queue passes the bound is disconnected. */
  send(line: Buffer): void {
    this.sendMany([line], line.length);
  }

  /** Queues several lines (`bytes` in all) with one bound check: a backlog batch. */
  sendMany(lines: readonly Buffer[], bytes: number, urgent = true, count = lines.length): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    if (this.unsentBytes + bytes > this.host.options.maxOutgoingBytes) {
      this.slowConsumer();
      return;
    }
    for (const line of lines) this.out.push(line);
    this.outBytes += bytes;
    this.outLines += count;
    this.requestFlush(urgent);
  }

  /**
   * Queues live fan-out: written when the coalescing window allows, or at once when a
   * full TLS record's worth is queued (waiting longer saves nothing, and a busy feed
   * must not fill the slow-consumer bound while it waits).
   */
  sendLive(lines: readonly Buffer[], bytes: number, count = lines.length): void {
    this.sendMany(lines, bytes, this.outBytes + bytes >= FULL_RECORD_BYTES, count);
  }

  /**
   * Owes the client the current ranking; coalesced with any push not yet written.
   * Urgent after `connect` (it is the answer), not for pushes.
   */
  oweRanking(urgent = false): void {
    if (this.state !== 'open') return;
    if (urgent) this.rankingAnswer = true;
    if (this.rankingOwed && !urgent) return;
    this.rankingOwed = true;
    this.requestFlush(urgent);
  }

  /** Asks the host for a flush unless one is already coming soon enough. */
  private requestFlush(urgent: boolean): void {
    if (urgent) this.urgentOwed = true;
    if (urgent ? this.expedited : this.scheduled || this.expedited) return;
    if (urgent) this.expedited = true;
    else this.scheduled = true;
    this.host.schedule(this, urgent);
  }

  /**
   * The host's flush took this session from its `from` list: returns what to write
   * now, emptying the queue — the owed ranking first (after `connect`, `set_movies`
   * must precede any post the same turn queued), then the queued lines — or null when
   * nothing is owed, the session is closing, or a write is still in flight (the queue
   * keeps coalescing; `written` asks for a flush again). The caller writes `data` with
   * `written` as its completion callback. `ranking(session)` is asked only when one is owed.
   */
  takeOutput(ranking: (session: Session) => Buffer | null, from: FlushList): Output | null {
    if (from === 'urgent') this.expedited = false;
    else this.scheduled = false;
    if (this.state === 'closing' || this.state === 'closed' || this.writing) return null;
    if (this.rankingOwed && (!this.stalled || this.rankingAnswer)) {
      this.rankingOwed = false;
      this.rankingAnswer = false;
      // null: a v2 client that already holds its group's latest list.
      const line = ranking(this);
      if (line !== null) {
        this.out.unshift(line);
        this.outBytes += line.length;
        this.outLines++;
      }
    }
    let chunks = this.out;
    if (chunks.length === 0) return null;
    let bytes = this.outBytes;
    // (The rest of a split write is no new line: it adds nothing to outLines.)
    const continuing = this.splitting;
    const lines = this.outLines;
    this.splitting = false;
    this.out = [];
    this.outBytes = 0;
    this.outLines = 0;
    const now = this.host.options.elapsed();
    if (
      bytes > SMALL_WRITE_BYTES &&
      bytes <= SPLIT_UP_TO_BYTES &&
      !this.wroteLarge &&
      (continuing || now - this.lastWriteAt >= QUIET_MS)
    ) {
      // A quiet connection gets small writes (see SMALL_WRITE_BYTES); the rest follows
      // once this one has left, with the same urgency.
      const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
      this.out.push(data.subarray(SMALL_WRITE_BYTES));
      this.outBytes = bytes - SMALL_WRITE_BYTES;
      chunks = [data.subarray(0, SMALL_WRITE_BYTES)];
      bytes = SMALL_WRITE_BYTES;
      this.splitting = true;
    } else this.urgentOwed = false;
    if (bytes > SMALL_WRITE_BYTES) this.wroteLarge = true;
    this.lastWriteAt = now;
    this.writing = true;
    return { chunks, bytes, lines };
  }

  /** Sends an error; a fatal one closes the connection after it is written. */
  fail(code: ErrorCode, message: string, inReplyTo?: string, movieId?: number): void {
    this.host.errorSent(code);
    const extra: { in_reply_to?: string; movie_id?: number } = {};
    if (inReplyTo !== undefined) extra.in_reply_to = inReplyTo.slice(0, 64);
    if (movieId !== undefined) extra.movie_id = movieId;
    const line = encodeLine(errorMessage(code, message, extra));
    if (!isFatal(code)) {
      this.send(line);
      return;
    }
    this.closeWith(line);
  }

  /** Writes a final line (error or reconnect) and closes gracefully. */
  closeWith(line: Buffer): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.setState('closing');
    this.out = [];
    this.outBytes = 0;
    this.outLines = 0;
    this.conn.write([line], this.written);
    this.conn.end();
  }

  /**
   * The client does not read: its queue is full, so a final error could not reach it
   * anyway. Drop the connection; the client resumes with `since` (PROTOCOL.md §
   * Slow consumers).
   */
  slowConsumer(): void {
    this.host.errorSent('slow_consumer');
    this.setState('closing');
    this.out = [];
    this.outBytes = 0;
    this.outLines = 0;
    this.conn.destroy();
  }

  /** The transport closed (either side). */
  transportClosed(): void {
    this.setState('closed');
  }

  private setState(next: SessionState): void {
    if (this.state === next || this.state === 'closed') return;
    this.state = next;
    if (next === 'closing') this.closingAt = this.host.options.clock.now();
    if (next === 'closing' || next === 'closed') this.host.closed(this);
  }
}

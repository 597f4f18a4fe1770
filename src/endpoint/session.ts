/**
 * One client connection: its state machine, its inbound line parser and its outbound
 * queue. Every state change happens in `setState`. The session knows nothing of
 * sockets (see Connection) and nothing of other clients (the Endpoint fans out).
 */

import { verifyToken } from '../auth/jwt.js';
import {
  type ClientMessage,
  type ErrorCode,
  errorMessage,
  isFatal,
  type LineSink,
  LineSplitter,
  parseClientLine,
} from '../protocol/index.js';
import type { Connection } from './connection.js';
import { encodeLine } from './encode.js';
import type { EndpointOptions } from './options.js';

/** What a session asks of the endpoint that holds it. */
export interface SessionHost {
  readonly options: EndpointOptions;
  connected(session: Session): void;
  startFeed(session: Session, movieId: number, since: string | undefined): void;
  stopFeed(session: Session, movieId: number): void;
  /** The session has output queued: write it on the next flush. */
  schedule(session: Session): void;
  /** The session is closed: forget it. */
  closed(session: Session): void;
  /** Counts an error sent, by code (metrics). */
  errorSent(code: ErrorCode): void;
  /** Counts bytes received (metrics). */
  received(bytes: number): void;
  /** Counts a complete line received, valid or not (metrics). */
  lineReceived(): void;
}

export type SessionState = 'awaiting_connect' | 'open' | 'closing' | 'closed';

/** A followed feed. While `loading`, live posts wait in `held` until the backlog is out. */
export interface Feed {
  loading: boolean;
  held: { postId: string; line: Buffer }[];
  /** Bytes in `held`: bounded like the output queue (a stuck history read must not grow it). */
  heldBytes: number;
}

const PONG_PREFIX = '{"action":"pong","params":{';

export class Session implements LineSink {
  state: SessionState = 'awaiting_connect';
  readonly openedAt: number;
  lastReceivedAt: number;
  /** When the session entered `closing` (it is destroyed if the close hangs). */
  closingAt = 0;
  readonly feeds = new Map<number, Feed>();
  /** Lines owed to the client, written together on the next flush. */
  out: Buffer[] = [];
  outBytes = 0;
  /** The latest ranking is owed (written at flush time, so pushes coalesce). */
  rankingOwed = false;
  scheduled = false;
  /** The token's `sub` (the app's user id) once authenticated, for logs. */
  subject: string | undefined;
  private tokens: number;
  private tokensAt: number;
  private rateErrorAt = 0;
  private readonly splitter: LineSplitter;

  constructor(
    readonly conn: Connection,
    private readonly host: SessionHost,
  ) {
    const { now, messageBurst, maxLineBytes } = host.options;
    this.openedAt = this.lastReceivedAt = this.tokensAt = now();
    this.tokens = messageBurst;
    this.splitter = new LineSplitter(maxLineBytes, this);
  }

  /** Bytes from the transport. */
  receive(chunk: Buffer): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.lastReceivedAt = this.host.options.now();
    this.host.received(chunk.length);
    this.splitter.push(chunk);
  }

  // ---- LineSink ----

  line(text: string): void {
    if (this.state !== 'open' && this.state !== 'awaiting_connect') return;
    this.host.lineReceived();
    if (!this.takeToken()) return;
    const parsed = parseClientLine(text);
    if (!parsed.ok) {
      this.fail(parsed.code, parsed.message, parsed.action);
      return;
    }
    this.handle(parsed.message);
  }

  invalidEncoding(): void {
    this.fail('invalid_encoding', 'the line is not valid UTF-8');
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
        if (!this.authorize(message.params.token)) return;
        this.setState('open');
        this.host.connected(this);
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
        const body = `${ts === undefined ? '' : `"ts":${ts},`}"server_time":${this.host.options.now()}}}\n`;
        this.send(Buffer.from(PONG_PREFIX + body));
        return;
      }
      default: {
        const unreachable: never = message;
        throw new Error(`unhandled action ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * With `authSecret` set, `connect` must carry a valid token; the reason for a refusal
   * goes in the message (it helps app developers, and tells an attacker nothing the
   * token itself does not).
   */
  private authorize(token: string | undefined): boolean {
    const { authSecret, authClockSkewSeconds, now } = this.host.options;
    if (authSecret === undefined) return true;
    if (token === undefined) {
      this.fail('unauthorized', 'connect must carry a token', 'connect');
      return false;
    }
    const result = verifyToken(token, authSecret, { clockSkewSeconds: authClockSkewSeconds, now });
    if (!result.ok) {
      this.fail('unauthorized', `token refused: ${result.reason}`, 'connect');
      return false;
    }
    this.subject = result.claims.sub;
    return true;
  }

  /** Token bucket: `messagesPerSecond` sustained, `messageBurst` at once. */
  private takeToken(): boolean {
    const { now, messagesPerSecond, messageBurst } = this.host.options;
    const t = now();
    this.tokens = Math.min(
      messageBurst,
      this.tokens + ((t - this.tokensAt) * messagesPerSecond) / 1000,
    );
    this.tokensAt = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    // One error per second at most: a flood must not turn into a flood of errors.
    if (t - this.rateErrorAt >= 1000) {
      this.rateErrorAt = t;
      this.fail('rate_limited', `at most ${messagesPerSecond} messages per second`);
    }
    return false;
  }

  // ---- output ----

  /** Queues a line; a client whose queue passes the bound is disconnected. */
  send(line: Buffer): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    if (
      this.outBytes + line.length + this.conn.bufferedBytes >
      this.host.options.maxOutgoingBytes
    ) {
      this.slowConsumer();
      return;
    }
    this.out.push(line);
    this.outBytes += line.length;
    if (!this.scheduled) this.host.schedule(this);
  }

  /** Queues several lines (`bytes` in all) with one bound check: a fan-out batch. */
  sendMany(lines: readonly Buffer[], bytes: number): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    if (this.outBytes + bytes + this.conn.bufferedBytes > this.host.options.maxOutgoingBytes) {
      this.slowConsumer();
      return;
    }
    for (const line of lines) this.out.push(line);
    this.outBytes += bytes;
    if (!this.scheduled) this.host.schedule(this);
  }

  /** Owes the client the current ranking; coalesced with any push not yet written. */
  oweRanking(): void {
    if (this.state !== 'open' || this.rankingOwed) return;
    this.rankingOwed = true;
    if (!this.scheduled) this.host.schedule(this);
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
    this.conn.write(line);
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
    this.conn.destroy();
  }

  /** The transport closed (either side). */
  transportClosed(): void {
    this.setState('closed');
  }

  private setState(next: SessionState): void {
    if (this.state === next || this.state === 'closed') return;
    this.state = next;
    if (next === 'closing') this.closingAt = this.host.options.now();
    if (next === 'closing' || next === 'closed') this.host.closed(this);
  }
}

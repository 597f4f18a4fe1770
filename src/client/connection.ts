/**
 * One live connection of the client: the line splitter over the transport's bytes, the
 * handshake deadline, the ping and dead-connection timers, and the write bound. It
 * knows nothing of feeds, rankings or retries: it hands parsed server messages to its
 * owner (client.ts) and tells it once, with the reason, when it is gone.
 *
 * Portable: no Node API; time comes from the injected clock.
 */

import type { Clock } from '../clock/clock.js';
import {
  type ClientMessage,
  LineSplitter,
  lineText,
  parseServerLine,
  type ServerMessage,
} from '../protocol/index.js';
import type { ClientError, ClientErrorCode } from './errors.js';
import type { Pick as EndpointPick } from './picker.js';
import type { Stream } from './transport.js';

export interface ConnectionLimits {
  pingIntervalMs: number;
  deadAfterMs: number;
  maxLineBytes: number;
  maxWriteBufferBytes: number;
}

export interface ConnectionOwner {
  /** A valid server message (unknown actions are skipped, bad lines reported). */
  message(conn: LiveConnection, m: ServerMessage): void;
  /** A client-side error to report (bad line, or the reason this connection ends). */
  report(err: ClientError): void;
  /**
   * The stream is closed. `reason` is why, when this side ended it (dead, overflow,
   * fatal, redirect); otherwise the transport's error, if any.
   */
  closed(conn: LiveConnection, reason: ClientError | undefined, err?: Error): void;
}

export function clientError(code: ClientErrorCode, message: string): ClientError {
  return { code, message, fatal: false, origin: 'client' };
}

export class LiveConnection {
  /** True until the server's first reply (set_movies or pong). */
  handshaking = true;
  connectedAt: number;
  private lastReceivedAt: number;
  /** Why this connection is ending, when the client knows (dead, overflow, fatal). */
  private ending: ClientError | undefined;
  private readonly splitter: LineSplitter;
  private readonly timers = new Set<unknown>();
  private isClosed = false;

  constructor(
    readonly stream: Stream,
    readonly pick: EndpointPick,
    private readonly clock: Clock,
    private readonly limits: ConnectionLimits,
    private readonly owner: ConnectionOwner,
    /** ms left for the handshake (the rest of the connect timeout). */
    handshakeMs: number,
  ) {
    const now = clock.now();
    this.connectedAt = this.lastReceivedAt = now;
    this.splitter = new LineSplitter(limits.maxLineBytes, {
      line: (text) => this.onLine(text),
      invalidEncoding: () =>
        owner.report(clientError('bad_message', 'a server line was not valid UTF-8')),
      overflow: () =>
        this.end(clientError('line_too_long', `a server line passed ${limits.maxLineBytes} bytes`)),
    });
    this.setTimer(
      () => {
        if (this.handshaking)
          this.end(clientError('connect_timeout', `${stream.label}: no reply to connect`));
      },
      Math.max(1, handshakeMs),
    );
    this.armDeadTimer();
  }

  /** Bytes from the transport. */
  data(chunk: Uint8Array): void {
    if (this.isClosed) return;
    this.lastReceivedAt = this.clock.now();
    this.splitter.push(chunk);
  }

  /** Queues a message; past the write bound the connection is ended. */
  send(message: ClientMessage): void {
    if (this.isClosed) return;
    this.stream.write(lineText(message));
    if (this.stream.bufferedBytes > this.limits.maxWriteBufferBytes)
      this.end(clientError('write_buffer_full', `${this.stream.bufferedBytes} bytes unsent`));
  }

  /** Starts the ping loop: one now, then every `pingIntervalMs`. */
  startPinging(): void {
    if (this.isClosed) return;
    this.send({ action: 'ping', params: { ts: this.clock.now() } });
    this.setTimer(() => this.startPinging(), this.limits.pingIntervalMs);
  }

  /** The server answered: the handshake is over. Returns false if it already was. */
  handshakeDone(): boolean {
    if (!this.handshaking) return false;
    this.handshaking = false;
    this.connectedAt = this.clock.now();
    return true;
  }

  /** Ends at once for `reason` (reported if it is the client's own); `closed` follows. */
  end(reason: ClientError): void {
    if (this.ending === undefined) {
      this.ending = reason;
      if (reason.origin === 'client') this.owner.report(reason);
    }
    this.stream.destroy();
  }

  /** Ends gracefully (queued bytes flushed) for `reason`, not reported: a redirect. */
  leave(reason: ClientError): void {
    this.ending ??= reason;
    this.stream.end();
  }

  /** The transport's close callback. */
  transportClosed(err?: Error): void {
    if (this.isClosed) return;
    this.dispose();
    this.owner.closed(this, this.ending, err);
  }

  /** Stops every timer and ignores further bytes (the client is closing). */
  dispose(): void {
    this.isClosed = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
  }

  private onLine(text: string): void {
    const parsed = parseServerLine(text);
    if (!parsed.ok) {
      // Servers may add actions within v1: skip those quietly.
      if (parsed.code !== 'unknown_action')
        this.owner.report(clientError('bad_message', parsed.message));
      return;
    }
    this.owner.message(this, parsed.message);
  }

  /** Fires `deadAfterMs` after the last byte; re-arms itself while bytes keep coming. */
  private armDeadTimer(): void {
    const { deadAfterMs } = this.limits;
    const due = this.lastReceivedAt + deadAfterMs - this.clock.now();
    this.setTimer(
      () => {
        if (this.clock.now() - this.lastReceivedAt >= deadAfterMs)
          this.end(clientError('dead_connection', `nothing received for ${deadAfterMs} ms`));
        else this.armDeadTimer();
      },
      Math.max(1, due),
    );
  }

  private setTimer(fn: () => void, ms: number): void {
    if (this.isClosed) return;
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      if (!this.isClosed) fn();
    }, ms);
    this.timers.add(handle);
  }
}

/** Every limit of an endpoint: an option with a default (PROTOCOL.md § Limits). */
import { type Clock, realClock } from '../clock/clock.js';
import {
  FEED_BACKLOG,
  HANDSHAKE_TIMEOUT_MS,
  IDLE_TIMEOUT_MS,
  MAX_CLIENT_LINE_BYTES,
  MAX_FEEDS_PER_CONNECTION,
  RANKING_SIZE,
} from '../protocol/index.js';

export interface EndpointLimits {
  /** Longest accepted client line in bytes (error `line_too_long`, then close). */
  maxLineBytes: number;
  /** `connect` must arrive within this many ms (`handshake_timeout`). */
  handshakeTimeoutMs: number;
  /** Close after this many ms without a byte from the client (`idle_timeout`). */
  idleTimeoutMs: number;
  /** Feeds one connection may follow at once (`too_many_feeds`). */
  maxFeeds: number;
  /**
   * Bytes queued for one client (ours plus the socket's) before it counts as a slow
   * consumer and is disconnected (`slow_consumer`). 256 KiB holds a full resume of
   * the history (500 posts) with room to spare, and bounds 10,000 stalled clients
   * to 2.5 GiB.
   */
  maxOutgoingBytes: number;
  /** Client messages per second per connection, sustained (`rate_limited`). */
  messagesPerSecond: number;
  /** Burst allowance above the sustained rate. */
  messageBurst: number;
  /** Connections this endpoint holds at most (`server_full`). 0 = no limit. */
  maxConnections: number;
  /** Connections from one IP address at most (`too_many_connections`). 0 = no limit. */
  maxConnectionsPerIp: number;
  /**
   * New connections (TCP accepts, so TLS handshakes) per second, sustained; past it a
   * connection is closed before its handshake starts (no error line: TLS is not up
   * yet). Each handshake costs the event loop about a millisecond of crypto, so an
   * unbounded flood delays every established client; measured with
   * test/hardening/handshake-flood.mts in docs/SECURITY.md § Handshake rate. 0 = no limit.
   */
  handshakesPerSecond: number;
  /** Burst allowance of new connections above the sustained rate. */
  handshakeBurst: number;
}

export interface EndpointOptions extends EndpointLimits {
  /** Posts `start_feed` replays without `since`. */
  backlog: number;
  /** Movies `set_movies` lists at most. */
  rankingSize: number;
  /**
   * Sessions written per event-loop turn, so a huge broadcast never blocks long. A TLS
   * write costs ~30 µs on the 2-core bench machine, so 500 sessions hold the loop for
   * ~15-25 ms; 2,000 held it 64 ms (bench:conns, broadcast to 4,000 TLS clients).
   */
  flushSlice: number;
  /**
   * Longest coalescing window of live fan-out, ms (PROTOCOL.md § Delivery latency):
   * the added delay of a live post when the endpoint is busy. 0 = no window.
   */
  flushWindowMaxMs: number;
  /**
   * The window is this many times the last flush pass's duration, so flushing takes at
   * most 1 / (1 + gain) of the loop until the window reaches its cap.
   */
  flushWindowGain: number;
  /** A monotonic millisecond clock for the window (tests inject one). */
  elapsed: () => number;
  /** How often deadlines (handshake, idle, close grace) are checked, in ms. */
  sweepIntervalMs: number;
  /**
   * When set, `connect` must carry an HS256 token signed with this secret
   * (`unauthorized` otherwise). Default: none (no authentication).
   */
  authSecret: string | undefined;
  /** Tolerated clock difference for token `exp`/`nbf`, in seconds. Default 60. */
  authClockSkewSeconds: number;
  /** The clock (deadlines, rate limits, the sweep timer), for tests. */
  clock: Clock;
}

export const DEFAULT_ENDPOINT_OPTIONS: EndpointOptions = {
  maxLineBytes: MAX_CLIENT_LINE_BYTES,
  handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  idleTimeoutMs: IDLE_TIMEOUT_MS,
  maxFeeds: MAX_FEEDS_PER_CONNECTION,
  maxOutgoingBytes: 256 * 1024,
  messagesPerSecond: 20,
  messageBurst: 40,
  maxConnections: 0,
  maxConnectionsPerIp: 0,
  handshakesPerSecond: 200,
  handshakeBurst: 400,
  backlog: FEED_BACKLOG,
  rankingSize: RANKING_SIZE,
  flushSlice: 500,
  flushWindowMaxMs: 100,
  flushWindowGain: 1,
  elapsed: () => performance.now(),
  sweepIntervalMs: 1000,
  authSecret: undefined,
  authClockSkewSeconds: 60,
  clock: realClock,
};

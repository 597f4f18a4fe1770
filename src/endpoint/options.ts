/** Every limit of an endpoint: an option with a default (PROTOCOL.md § Limits). */
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
}

export interface EndpointOptions extends EndpointLimits {
  /** Posts `start_feed` replays without `since`. */
  backlog: number;
  /** Movies `set_movies` lists at most. */
  rankingSize: number;
  /** Sessions written per event-loop turn, so a huge broadcast never blocks long. */
  flushSlice: number;
  /** How often deadlines (handshake, idle, close grace) are checked, in ms. */
  sweepIntervalMs: number;
  /** The clock, for tests. */
  now: () => number;
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
  backlog: FEED_BACKLOG,
  rankingSize: RANKING_SIZE,
  flushSlice: 2000,
  sweepIntervalMs: 1000,
  now: Date.now,
};

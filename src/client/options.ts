/**
 * Client options. Every limit and timing is an option with a documented default.
 * Heartbeat timing (docs/CLIENT.md § Heartbeats): a `ping` every `pingIntervalMs`
 * (15 s, the protocol's PING_INTERVAL_MS); a healthy server answers each within one
 * round trip, so silence for `deadAfterMs` (2 × the ping interval = 30 s) means the
 * connection is dead — detected 30 s after the last byte at the latest, and well
 * before the server's own idle timeout (45 s).
 */

import type { Clock } from '../clock/clock.js';
import {
  type ClientInfo,
  DEFAULT_PORT,
  type EndpointAddress,
  MAX_FEEDS_PER_CONNECTION,
  MAX_SERVER_LINE_BYTES,
  PING_INTERVAL_MS,
} from '../protocol/index.js';
import type { BackoffOptions } from '../retry/backoff.js';
import type { FetchLike } from './discovery.js';
import type { Transport } from './transport.js';

/** A fixed endpoint given as an option: the address, with `tls` defaulting to true. */
export type EndpointOption = Omit<EndpointAddress, 'tls'> & { tls?: boolean };

export interface ClientOptions {
  /** URL of endpoints.json. Either this, `host`/`port`, or `endpoints`. */
  directory?: string | URL;
  /** A fixed endpoint (default port 4747). */
  host?: string;
  port?: number;
  /** TLS for `host`/`port`. Default true; false = plain TCP. */
  tls?: boolean;
  /** Fixed endpoints tried at random, falling back to the next on failure. */
  endpoints?: EndpointOption[];
  /** Sent in `connect` as `client`. Default `{name: "filmgrain-client"}`. */
  client?: ClientInfo;
  /** Sent in `connect` as `token`, when the endpoint requires one. */
  token?: string;
  /**
   * How many top movies the ranking holds (protocol v2 `ranking_size`, 1…100; default
   * 100). Smaller lists cost the app fewer bytes.
   */
  rankingSize?: number;
  /**
   * Protocol v2 `live_cap`: feeds arrive at the server's readable rate (a feed a person
   * watches), the posts above it counted in each post's `skipped` ("+N more"). Default
   * false: every post.
   */
  liveCap?: boolean;
  /**
   * The protocol version to speak: 2 (default) gets the ranking as deltas, 1 as full
   * lists every push. The `ranking` event carries whole lists either way. Left unset,
   * the client speaks 1 to a server that refuses 2 (`unsupported_version`); set, it
   * stops on that error instead.
   */
  protocolVersion?: 1 | 2;
  /** Sends a `ping` this often while connected. Default 15 000. */
  pingIntervalMs?: number;
  /** No byte received for this long = dead connection. Default 2 × pingIntervalMs. */
  deadAfterMs?: number;
  /** Opening the connection plus the `connect` reply must take less. Default 10 000. */
  connectTimeoutMs?: number;
  /** Reconnect back-off: full jitter, base 500 ms, ×2, capped at 30 s by default. */
  backoff?: Omit<BackoffOptions, 'random' | 'jitter'>;
  /** A connection that lived this long resets the back-off. Default 10 000. */
  stableAfterMs?: number;
  /** endpoints.json is fetched again when older than this. Default 30 000. */
  discoveryRefreshMs?: number;
  /** Longest server line accepted; past it the connection is dropped. Default 1 MiB. */
  maxLineBytes?: number;
  /** Most movies followed at once. Default 10 (the protocol's limit). */
  maxFeeds?: number;
  /** Unsent bytes past this mean the server stopped reading. Default 64 KiB. */
  maxWriteBufferBytes?: number;
  /**
   * How to reach an endpoint. Default: the platform's WebSocket (browsers); from
   * `filmgrain/client/node`, Node's TLS. Or a test fake.
   */
  transport?: Transport;
  /** Injectable for tests. Defaults: real timers, Math.random, global fetch. */
  clock?: Clock;
  random?: () => number;
  fetch?: FetchLike;
}

export const CLIENT_DEFAULTS = {
  port: DEFAULT_PORT,
  pingIntervalMs: PING_INTERVAL_MS,
  connectTimeoutMs: 10_000,
  backoff: { baseMs: 500, capMs: 30_000, factor: 2 },
  stableAfterMs: 10_000,
  discoveryRefreshMs: 30_000,
  maxLineBytes: MAX_SERVER_LINE_BYTES,
  maxFeeds: MAX_FEEDS_PER_CONNECTION,
  maxWriteBufferBytes: 64 * 1024,
} as const;

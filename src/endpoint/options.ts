/**
 * Every limit of an endpoint: an option with a default (PROTOCOL.md § Limits), each
 * declared once in `ENDPOINT_LIMITS` — the library default, the flag, its env var,
 * its bounds and its help all come from that entry (src/options/declare.ts).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TokenCheck } from '../auth/verifier.js';
import { type Clock, realClock } from '../clock/clock.js';
import { defaultsOf, flag, int, num, type OptionValues, str } from '../options/declare.js';
import {
  DEFAULT_PORT,
  FEED_BACKLOG,
  HANDSHAKE_TIMEOUT_MS,
  IDLE_TIMEOUT_MS,
  MAX_CLIENT_LINE_BYTES,
  MAX_FEEDS_PER_CONNECTION,
  RANKING_COUNT_INTERVAL_MS,
  RANKING_ORDER_INTERVAL_MS,
  RANKING_SIZE,
  TLS_HANDSHAKE_TIMEOUT_MS,
} from '../protocol/index.js';
import type { LimitEmit } from './limit-log.js';
import { threadCpuClock } from './thread-cpu.js';

/** Where `filmgrain start` keeps its development certificate. */
export const DEFAULT_DATA_DIR = join(homedir(), '.filmgrain');

/** A day, in ms: no deadline of ours is meaningful past it; larger is a typo. */
const DAY_MS = 86_400_000;

export const ENDPOINT_LIMITS = {
  /** Longest accepted client line in bytes (error `line_too_long`, then close). */
  maxLineBytes: int({
    flag: 'max-line-bytes',
    env: 'FILMGRAIN_MAX_LINE_BYTES',
    default: MAX_CLIENT_LINE_BYTES,
    // A `connect` with a token needs ~2.2 KiB (2048-char token cap), so less than 256
    // refuses real clients; past 1 MiB one connection could pin that much per line.
    min: 256,
    max: 1024 * 1024,
    doc: 'longest client line accepted (line_too_long past it)',
  }),
  /** `connect` must arrive within this many ms (`handshake_timeout`). */
  handshakeTimeoutMs: int({
    flag: 'handshake-timeout',
    env: 'FILMGRAIN_HANDSHAKE_TIMEOUT_MS',
    default: HANDSHAKE_TIMEOUT_MS,
    min: 100,
    max: DAY_MS,
    value: 'MS',
    doc: 'connect must arrive within this',
  }),
  /**
   * A TLS handshake must complete within this many ms of the TCP accept, or the socket
   * is destroyed (no message: TLS is not up). Node's own default is 120 s, and its
   * timeout only reports; a socket that sends nothing or half a ClientHello then held a
   * descriptor for minutes (issue 15). A real handshake takes a few round trips, well
   * under a second even on a slow mobile link. Not for plain TCP (no handshake).
   */
  tlsHandshakeTimeoutMs: int({
    flag: 'tls-handshake-timeout',
    env: 'FILMGRAIN_TLS_HANDSHAKE_TIMEOUT_MS',
    default: TLS_HANDSHAKE_TIMEOUT_MS,
    min: 100,
    // Past Node's own 120 s it would only let half-open sockets linger longer.
    max: 120_000,
    value: 'MS',
    doc: 'a TLS handshake must complete within this of the TCP accept (then cut)',
  }),
  /** Close after this many ms without a byte from the client (`idle_timeout`). */
  idleTimeoutMs: int({
    flag: 'idle-timeout',
    env: 'FILMGRAIN_IDLE_TIMEOUT_MS',
    default: IDLE_TIMEOUT_MS,
    min: 1000,
    max: DAY_MS,
    value: 'MS',
    doc: 'close after this long without a message',
  }),
  /** Feeds one connection may follow at once (`too_many_feeds`). */
  maxFeeds: int({
    flag: 'max-feeds',
    env: 'FILMGRAIN_MAX_FEEDS',
    default: MAX_FEEDS_PER_CONNECTION,
    min: 1,
    max: 10_000,
    doc: 'feeds one connection may follow',
  }),
  /**
   * Bytes queued for one client (ours plus the socket's) before it counts as a slow
   * consumer and is disconnected (`slow_consumer`). 256 KiB holds a full resume of
   * the history (500 posts) with room to spare, and bounds 10,000 stalled clients
   * to 2.5 GiB.
   */
  maxOutgoingBytes: int({
    flag: 'max-outgoing-bytes',
    env: 'FILMGRAIN_MAX_OUTGOING_BYTES',
    default: 256 * 1024,
    // Below 16 KiB a single set_movies (~10 KiB) plus a post would cut every client.
    min: 16 * 1024,
    max: 1024 * 1024 * 1024,
    value: 'BYTES',
    doc: 'bytes queued per client before it is cut off as a slow consumer',
  }),
  /** Client messages per second per connection, sustained (`rate_limited`). */
  messagesPerSecond: int({
    flag: 'messages-per-second',
    env: 'FILMGRAIN_MESSAGES_PER_SECOND',
    default: 20,
    // 0 would refuse every line, connect included: a client could never connect.
    min: 1,
    max: 100_000,
    doc: 'client messages per second per connection',
  }),
  /** Burst allowance above the sustained rate. */
  messageBurst: int({
    flag: 'message-burst',
    env: 'FILMGRAIN_MESSAGE_BURST',
    default: 40,
    min: 1,
    max: 100_000,
    doc: 'client messages allowed at once above the per-second rate',
  }),
  /** Connections this endpoint holds at most (`server_full`). 0 = no limit. */
  maxConnections: int({
    flag: 'max-connections',
    env: 'FILMGRAIN_MAX_CONNECTIONS',
    default: 0,
    min: 0,
    max: 10_000_000,
    doc: 'connections held at most (0 = no limit)',
  }),
  /** Connections from one IP address at most (`too_many_connections`). 0 = no limit. */
  maxConnectionsPerIp: int({
    flag: 'max-connections-per-ip',
    env: 'FILMGRAIN_MAX_CONNECTIONS_PER_IP',
    default: 0,
    min: 0,
    max: 10_000_000,
    doc: 'connections per client address (0 = no limit)',
  }),
  /**
   * New connections (TCP accepts, so TLS handshakes) per second, sustained; past it a
   * connection is closed before its handshake starts (no error line: TLS is not up
   * yet). Each handshake costs the event loop about a millisecond of crypto, so an
   * unbounded flood delays every established client; measured with
   * test/hardening/handshake-flood.mts in docs/SECURITY.md § Handshake rate. 0 = no limit.
   */
  handshakesPerSecond: int({
    flag: 'handshakes-per-second',
    env: 'FILMGRAIN_HANDSHAKES_PER_SECOND',
    default: 200,
    min: 0,
    max: 1_000_000,
    doc: 'new connections (TLS handshakes) per second; excess closed before TLS (0 = no limit)',
  }),
  /** Burst allowance of new connections above the sustained rate. */
  handshakeBurst: int({
    flag: 'handshake-burst',
    env: 'FILMGRAIN_HANDSHAKE_BURST',
    default: 400,
    min: 1,
    max: 1_000_000,
    doc: 'new connections allowed at once above the per-second rate',
  }),
  /**
   * Longest coalescing window of live fan-out, ms (PROTOCOL.md § Delivery latency):
   * the added delay of a live post when the endpoint is busy. 0 = no window.
   */
  flushWindowMaxMs: int({
    flag: 'flush-window-max-ms',
    env: 'FILMGRAIN_FLUSH_WINDOW_MAX_MS',
    default: 100,
    // Past a second a "live" post is visibly late; the window only bounds the delay.
    min: 0,
    max: 1000,
    value: 'MS',
    doc: 'longest coalescing window of live fan-out when busy (0 = none; PROTOCOL.md § 7)',
  }),
  /**
   * The window is this many times the last flush pass's duration (once the pass cost more
   * than --flush-window-threshold-ms of CPU), so flushing takes at most 1 / (1 + gain) of
   * the loop until the window reaches its cap: more gain, fewer writes per post and more
   * latency (bench:fanout --alt-args).
   */
  flushWindowGain: num({
    flag: 'flush-window-gain',
    env: 'FILMGRAIN_FLUSH_WINDOW_GAIN',
    default: 1,
    min: 0,
    max: 10,
    value: 'X',
    doc: 'coalescing window = this × the last flush pass duration (capped by --flush-window-max-ms)',
  }),
  /**
   * A flush pass that cost this much CPU or less opens no window: the endpoint keeps up
   * writing each post to every follower, and a window would only add latency (at 1,000
   * TLS clients × 50 posts/s a pass costs ~15-20 ms; docs/CAPACITY.md § "Hot feeds").
   * Dearer passes (10,000 clients) are where writes per post decide machines.
   */
  flushWindowThresholdMs: int({
    flag: 'flush-window-threshold-ms',
    env: 'FILMGRAIN_FLUSH_WINDOW_THRESHOLD_MS',
    default: 50,
    min: 0,
    max: 1000,
    value: 'MS',
    doc: 'a flush pass that cost this much CPU or less opens no coalescing window (PROTOCOL.md § 7)',
  }),
  /**
   * A window opens only after this many flush passes in a row each cost more than the
   * threshold. One dear pass is a GC pause or a lost turn, not load: at 1,000 TLS
   * clients × 50 posts/s a few such passes a run each opened a window of up to 100 ms,
   * and the posts caught in it were the p99 (×1.72 the reference's; ×0.86 with no
   * window, same run; docs/CAPACITY.md). Three in a row gave ×0.74-1.03 the p99 of two
   * (four invocations, same runs). At 10,000 clients every pass is dear, so the window
   * is open from the third pass on. 1 = the first dear pass opens it.
   */
  flushWindowAfterPasses: int({
    flag: 'flush-window-after',
    env: 'FILMGRAIN_FLUSH_WINDOW_AFTER',
    default: 3,
    min: 1,
    max: 100,
    value: 'N',
    doc: 'passes in a row dearer than the threshold before a coalescing window opens (PROTOCOL.md § 7)',
  }),
  /**
   * The live rate cap of a feed for v2 clients (live-cap.ts, PROTOCOL.md § 7 "Hot
   * feeds"): live posts per second per movie a v2 client is sent; the rest are skipped
   * live and counted (`skipped` on the next one sent). A person reads a few posts a
   * second at most; 10/s with bursts of 20 keeps a busy feed lively. 0 = no cap.
   */
  liveCapPerSecond: int({
    flag: 'live-cap',
    env: 'FILMGRAIN_LIVE_CAP',
    default: 10,
    min: 0,
    max: 100_000,
    value: 'N',
    doc: 'protocol v2: live posts per second per feed a client is sent (the rest counted in `skipped`; 0 = no cap)',
  }),
  liveCapBurst: int({
    flag: 'live-cap-burst',
    env: 'FILMGRAIN_LIVE_CAP_BURST',
    default: 20,
    min: 1,
    max: 100_000,
    value: 'N',
    doc: 'protocol v2: live posts a feed may send at once above --live-cap',
  }),
  /**
   * Protocol v2 cadence (ranking-push.ts, PROTOCOL.md § 5 `update_movies`): a ranking
   * change of counts or trends alone is sent at most this often, ms; order changes go
   * out within `rankingOrderIntervalMs` (1 s).
   */
  rankingCountIntervalMs: int({
    flag: 'ranking-batch-ms',
    env: 'FILMGRAIN_RANKING_BATCH_MS',
    default: RANKING_COUNT_INTERVAL_MS,
    min: 0,
    max: 3_600_000,
    value: 'MS',
    doc: 'protocol v2: send count/trend-only ranking changes at most this often (order changes within ~1 s)',
  }),
  /**
   * Protocol v2: order changes among this many top entries go out within ~1 s; the
   * rest of the list (counts, trends, order further down) with the batch above.
   */
  rankingUrgentTop: int({
    flag: 'ranking-urgent-top',
    env: 'FILMGRAIN_RANKING_URGENT_TOP',
    default: 10,
    min: 1,
    max: 100,
    value: 'N',
    doc: 'protocol v2: order changes within the top N go out within ~1 s (100 = every order change)',
  }),
} as const;

export type EndpointLimits = OptionValues<typeof ENDPOINT_LIMITS>;

/** Where and how the endpoint listens (src/cli/endpoint-runtime.ts reads these). */
export const LISTEN_OPTIONS = {
  host: str({
    flag: 'host',
    env: 'FILMGRAIN_HOST',
    default: '127.0.0.1',
    value: 'ADDR',
    doc: 'address to listen on',
  }),
  port: int({
    flag: 'port',
    env: 'FILMGRAIN_PORT',
    default: DEFAULT_PORT,
    min: 0,
    max: 65_535,
    doc: 'port to listen on (0 = any free port)',
  }),
  plain: flag({
    flag: 'plain',
    env: 'FILMGRAIN_PLAIN',
    doc: 'plain TCP instead of TLS (development, or behind a TLS-terminating balancer)',
  }),
  cert: str({
    flag: 'cert',
    env: 'FILMGRAIN_CERT',
    value: 'FILE',
    doc: 'TLS certificate chain (PEM); reloaded on SIGHUP',
  }),
  key: str({
    flag: 'key',
    env: 'FILMGRAIN_KEY',
    value: 'FILE',
    doc: 'TLS private key (PEM); reloaded on SIGHUP',
  }),
  dataDir: str({
    flag: 'data-dir',
    env: 'FILMGRAIN_DATA_DIR',
    default: DEFAULT_DATA_DIR,
    value: 'DIR',
    doc: 'where the development certificate is kept',
  }),
} as const;

/**
 * The WebSocket transport (websocket.ts, PROTOCOL.md § 12): its own port beside the
 * line protocol's, the same certificate.
 */
export const WEBSOCKET_OPTIONS = {
  wsPort: int({
    flag: 'ws-port',
    env: 'FILMGRAIN_WS_PORT',
    default: undefined,
    min: 0,
    max: 65_535,
    doc: 'port of the WebSocket transport for browsers (0 = any free port)',
    helpDefault: 'filmgrain start: --port + 2; filmgrain endpoint: none (off)',
  }),
  noWebsocket: flag({
    flag: 'no-websocket',
    env: 'FILMGRAIN_NO_WEBSOCKET',
    doc: 'offer no WebSocket transport (filmgrain start offers one by default)',
  }),
  wsOrigin: str({
    flag: 'ws-origin',
    env: 'FILMGRAIN_WS_ORIGIN',
    value: 'ORIGINS',
    doc: 'comma-separated origins browser pages may connect from (exact, e.g. https://app.example.com; * = any); requests without Origin are not browsers and always pass',
    helpDefault: "filmgrain start: its web app's own origin; filmgrain endpoint: none",
  }),
  wsPlain: flag({
    flag: 'ws-plain',
    env: 'FILMGRAIN_WS_PLAIN',
    doc: 'serve ws:// instead of wss:// (behind a TLS-terminating proxy; filmgrain start does this on loopback with its development certificate, which browsers refuse)',
  }),
  wsDeflate: flag({
    flag: 'ws-deflate',
    env: 'FILMGRAIN_WS_DEFLATE',
    doc: 'offer permessage-deflate (off by default: it costs zlib memory on every connection)',
  }),
  wsPublicUrl: str({
    flag: 'ws-public-url',
    env: 'FILMGRAIN_WS_PUBLIC_URL',
    value: 'URL',
    doc: 'the wss:// URL clients should dial, as announced for discovery (default: from --public-host and the WebSocket port)',
    check: (v) => (/^wss?:\/\/[^/]+/.test(v) ? null : 'must be a ws:// or wss:// URL'),
  }),
} as const;

export interface EndpointOptions extends EndpointLimits {
  /** Posts `start_feed` replays without `since`. */
  backlog: number;
  /** Movies `set_movies` lists at most. */
  rankingSize: number;
  /**
   * Protocol v2: a push that changes the order waits at least this long after the
   * previous one (count/trend-only pushes: `rankingCountIntervalMs`).
   */
  rankingOrderIntervalMs: number;
  /**
   * Sessions written per event-loop turn, so a huge broadcast never blocks long. A TLS
   * write costs ~30 µs on the 2-core bench machine, so 500 sessions hold the loop for
   * ~15-25 ms; 2,000 held it 64 ms (bench:conns, broadcast to 4,000 TLS clients).
   */
  flushSlice: number;
  /**
   * …and at most this long (ms of `elapsed`): under load each write carries many posts
   * (a 50 KB write costs ~1 ms), so 500 of them held the loop ~500 ms in bench:fanout's
   * max mode with 10,000 clients; the turn ends once it has used its time.
   */
  flushTurnMs: number;
  /** A monotonic millisecond clock for the window and the turn (tests inject one). */
  elapsed: () => number;
  /**
   * CPU time in ms of the thread that flushes (thread-cpu.ts; not the GC's helper
   * threads), what the window prices a flush pass by (tests inject one).
   */
  cpuMs: () => number;
  /**
   * How often the kernel's send queue of every TCP client is read (Linux,
   * /proc/net/tcp) and counted against `maxOutgoingBytes`, ms. 0 = never (user-space
   * bytes only). A stalled reader passes the bound by at most what its feeds send in
   * this long before it is cut.
   */
  kernelQueueCheckMs: number;
  /**
   * How often deadlines (handshake, close grace) are checked, in ms; idle silence every
   * max(this, idleTimeoutMs / 10).
   */
  sweepIntervalMs: number;
  /**
   * When set, `connect` must carry a token it accepts (`unauthorized` otherwise):
   * src/auth/verifier.ts, built from the auth options (AUTH_OPTIONS) by the CLI.
   * Default: none (no authentication).
   */
  auth: TokenCheck | undefined;
  /** The clock (deadlines, rate limits, the sweep timer), for tests. */
  clock: Clock;
  /**
   * Where a connection limit that bites is reported (limit-log.ts: at most one line
   * per limit per 10 s). The CLI passes its logger's `warn`; default: nowhere.
   */
  logLimit: LimitEmit;
}

export const DEFAULT_ENDPOINT_OPTIONS: EndpointOptions = {
  ...defaultsOf(ENDPOINT_LIMITS),
  backlog: FEED_BACKLOG,
  rankingSize: RANKING_SIZE,
  rankingOrderIntervalMs: RANKING_ORDER_INTERVAL_MS,
  flushSlice: 500,
  flushTurnMs: 10,
  elapsed: () => performance.now(),
  cpuMs: threadCpuClock(),
  kernelQueueCheckMs: 250,
  sweepIntervalMs: 1000,
  auth: undefined,
  clock: realClock,
  logLimit: () => {},
};

/** Protocol constants of versions 1 and 2. PROTOCOL.md quotes every one of these. */

/** The newest protocol version this code speaks (what the SDK sends in `connect`). */
export const PROTOCOL_VERSION = 2;
/** Every version a server accepts in `connect {version}`; absent means 1. */
export const PROTOCOL_VERSIONS: readonly number[] = [1, 2];

/**
 * Longest client → server line, in bytes, without its `\n`. Client messages are tiny
 * (a `start_feed` is ~60 bytes; a `connect` with a JWT ~1 KiB), so 4 KiB bounds what
 * an endpoint buffers per connection before it can reject.
 */
export const MAX_CLIENT_LINE_BYTES = 4096;

/**
 * Longest server → client line a client must accept. A `set_movies` of 100 movies is
 * ~10 KiB and a post ~1 KiB; 1 MiB leaves room for rich catalog fields.
 */
export const MAX_SERVER_LINE_BYTES = 1024 * 1024;

/**
 * The TLS handshake must complete within this long after the TCP connection is
 * accepted; the server then destroys the socket (no message: TLS is not up).
 */
export const TLS_HANDSHAKE_TIMEOUT_MS = 5000;

/**
 * A client must send `connect` within this long after its TLS handshake completes (on
 * plain TCP: after the TCP accept). A `ping` before `connect` does not extend it.
 */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Clients send `ping` at least this often while connected. */
export const PING_INTERVAL_MS = 15_000;

/** The server closes a connection from which it has received nothing for this long. */
export const IDLE_TIMEOUT_MS = 45_000;

/** How many feeds one connection may follow at once. */
export const MAX_FEEDS_PER_CONNECTION = 10;

/** How many recent posts `start_feed` replays before live posts, oldest first. */
export const FEED_BACKLOG = 20;

/** The most posts `start_feed {since}` replays (the history kept per movie). */
export const HISTORY_PER_MOVIE = 500;

/** The ranking is pushed at most this often (ms), and only when it changed. */
export const RANKING_PUSH_INTERVAL_MS = 1000;

/** How many movies `set_movies` lists at most (the top of the ranking). */
export const RANKING_SIZE = 100;

/**
 * Protocol v2 push cadence (PROTOCOL.md § 5, `update_movies`): a change of order (a
 * movie moves, enters or leaves) goes out at most this long after the previous push,
 * so it reaches the screen within about a second…
 */
export const RANKING_ORDER_INTERVAL_MS = 1000;
/**
 * …while changes of counts or trends alone are held and sent together at most this
 * often: nobody watches a count tick by one, and each push costs every client a
 * radio wake-up (a phone's radio stays up ~5-10 s after each one: pushes every 10 s
 * keep it up for good) and the endpoint a TLS record per client. A past-hour count of
 * a top movie moves by ~1 % in 30 s.
 */
export const RANKING_COUNT_INTERVAL_MS = 30_000;

/** Trend (v2): the recent window, in whole minutes before the current one. */
export const TREND_RECENT_MINUTES = 5;
/** Trend (v2): fewer recent posts than this give trend 0 (noise does not trend). */
export const TREND_MIN_POSTS = 10;

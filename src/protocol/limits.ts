/** Protocol constants of version 1. PROTOCOL.md quotes every one of these. */

/** The protocol version this code speaks. `connect {version}` must equal it if given. */
export const PROTOCOL_VERSION = 1;

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

/** A client must send `connect` within this long after the TCP/TLS connection opens. */
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

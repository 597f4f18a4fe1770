/**
 * Error codes of protocol version 1: data, not prose. PROTOCOL.md § 8 "Error codes" is
 * the same table (test/protocol/error-table.test.ts compares the two); change both in
 * one commit.
 *
 * - `fatal: true`: the server closes the connection right after sending the `error` line.
 * - `retry`: what a client does about it — what failed is the connection when the code
 *   is fatal, the message otherwise:
 *   - `never`: trying the same again fails the same way. Fatal: stop reconnecting (the
 *     app must change something: upgrade, a new token). Non-fatal: do not resend it.
 *   - `backoff`: a passing condition. Fatal: reconnect with back-off (PROTOCOL.md § 7).
 *     Non-fatal: send the message again after a back-off delay.
 *   - `drop_feed`: the feed named by `movie_id` cannot be had: forget it (do not ask for
 *     it again on resume).
 */
export type RetryPolicy = 'never' | 'backoff' | 'drop_feed';

export interface ErrorCodeSpec {
  fatal: boolean;
  retry: RetryPolicy;
  text: string;
}

export const ERROR_CODES = {
  invalid_json: { fatal: false, retry: 'never', text: 'The line is not valid JSON.' },
  invalid_encoding: { fatal: false, retry: 'never', text: 'The line is not valid UTF-8.' },
  invalid_message: {
    fatal: false,
    retry: 'never',
    text: 'The line is not an object {"action": string, "params": object}.',
  },
  unknown_action: {
    fatal: false,
    retry: 'never',
    text: 'The action is not one the server knows.',
  },
  invalid_params: {
    fatal: false,
    retry: 'never',
    text: 'A parameter is missing or has the wrong type.',
  },
  not_connected: { fatal: false, retry: 'never', text: 'The action needs `connect` first.' },
  already_connected: {
    fatal: false,
    retry: 'never',
    text: '`connect` was already sent on this connection.',
  },
  unknown_movie: {
    fatal: false,
    retry: 'drop_feed',
    text: 'No movie with that id is in the catalog.',
  },
  too_many_feeds: {
    fatal: false,
    retry: 'drop_feed',
    text: 'The connection already follows the maximum of feeds.',
  },
  rate_limited: {
    fatal: false,
    retry: 'backoff',
    text: 'Too many messages per second; this one was dropped.',
  },
  line_too_long: { fatal: true, retry: 'backoff', text: 'The line is longer than the maximum.' },
  unsupported_version: {
    fatal: true,
    retry: 'never',
    text: 'The server does not speak that protocol version.',
  },
  handshake_timeout: { fatal: true, retry: 'backoff', text: '`connect` did not arrive in time.' },
  idle_timeout: { fatal: true, retry: 'backoff', text: 'Nothing was received for too long.' },
  slow_consumer: {
    fatal: true,
    retry: 'backoff',
    text: 'The client read too slowly; its buffer was full.',
  },
  unauthorized: { fatal: true, retry: 'never', text: 'The token is missing, invalid or expired.' },
  server_full: {
    fatal: true,
    retry: 'backoff',
    text: 'The endpoint holds its maximum of connections.',
  },
  too_many_connections: {
    fatal: true,
    retry: 'backoff',
    text: 'Too many connections from this address.',
  },
  shutting_down: { fatal: true, retry: 'backoff', text: 'The endpoint is shutting down.' },
  internal_error: {
    fatal: false,
    retry: 'backoff',
    text: 'The server failed to handle the message.',
  },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.hasOwn(ERROR_CODES, v);
}

export function isFatal(code: ErrorCode): boolean {
  return ERROR_CODES[code].fatal;
}

/**
 * The retry policy of a code a client received. A code this client does not know (a
 * newer server may add codes within v1, PROTOCOL.md § 9) is judged by its `fatal` flag:
 * fatal → reconnect with back-off, otherwise → do not resend.
 */
export function retryPolicy(code: string, fatal: boolean): RetryPolicy {
  return isErrorCode(code) ? ERROR_CODES[code].retry : fatal ? 'backoff' : 'never';
}

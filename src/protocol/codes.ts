/**
 * Error codes of protocol version 1: data, not prose. PROTOCOL.md § "Error codes" is the
 * same table; change both in one commit. `fatal: true` means the server closes the
 * connection right after sending the `error` line.
 */
export const ERROR_CODES = {
  invalid_json: { fatal: false, text: 'The line is not valid JSON.' },
  invalid_encoding: { fatal: false, text: 'The line is not valid UTF-8.' },
  invalid_message: {
    fatal: false,
    text: 'The line is not an object {"action": string, "params": object}.',
  },
  unknown_action: { fatal: false, text: 'The action is not one the server knows.' },
  invalid_params: { fatal: false, text: 'A parameter is missing or has the wrong type.' },
  not_connected: { fatal: false, text: 'The action needs `connect` first.' },
  already_connected: { fatal: false, text: '`connect` was already sent on this connection.' },
  unknown_movie: { fatal: false, text: 'No movie with that id is in the catalog.' },
  too_many_feeds: { fatal: false, text: 'The connection already follows the maximum of feeds.' },
  rate_limited: { fatal: false, text: 'Too many messages per second; this one was dropped.' },
  line_too_long: { fatal: true, text: 'The line is longer than the maximum.' },
  unsupported_version: { fatal: true, text: 'The server does not speak that protocol version.' },
  handshake_timeout: { fatal: true, text: '`connect` did not arrive in time.' },
  idle_timeout: { fatal: true, text: 'Nothing was received for too long.' },
  slow_consumer: { fatal: true, text: 'The client read too slowly; its buffer was full.' },
  unauthorized: { fatal: true, text: 'The token is missing, invalid or expired.' },
  server_full: { fatal: true, text: 'The endpoint holds its maximum of connections.' },
  too_many_connections: { fatal: true, text: 'Too many connections from this address.' },
  shutting_down: { fatal: true, text: 'The endpoint is shutting down.' },
  internal_error: { fatal: false, text: 'The server failed to handle the message.' },
} as const satisfies Record<string, { fatal: boolean; text: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isFatal(code: ErrorCode): boolean {
  return ERROR_CODES[code].fatal;
}

/**
 * Errors the client reports. Server errors keep the server's code (PROTOCOL.md § Error
 * codes; what the client does about each is the `retry` column of protocol/codes.ts);
 * the client adds its own, listed here as data. Branch on `code`.
 */
import type { ErrorCode } from '../protocol/index.js';

export const CLIENT_ERROR_CODES = {
  transport_failed: 'The TCP/TLS connection could not be opened or broke.',
  connect_timeout: 'The connection or the `connect` handshake took too long.',
  dead_connection: 'Nothing arrived for `deadAfterMs`: the connection is presumed dead.',
  pin_mismatch: 'The server certificate does not match the pinned fingerprint.',
  discovery_failed: 'endpoints.json could not be fetched or is invalid.',
  no_endpoint: 'No endpoint is known to connect to.',
  line_too_long: 'The server sent a line longer than `maxLineBytes`.',
  bad_message: 'The server sent a line the client could not parse (skipped).',
  redirected: 'The server sent `reconnect`: the client moves to the endpoint it names.',
  write_buffer_full: 'The server stopped reading: more than `maxWriteBufferBytes` unsent.',
} as const;

export type ClientErrorCode = keyof typeof CLIENT_ERROR_CODES;

export interface ClientError {
  code: ErrorCode | ClientErrorCode;
  message: string;
  /** The server sent it as fatal, or the client stops because of it (no more retries). */
  fatal: boolean;
  /** `server` for an `error` message from the server; `client` for the client's own. */
  origin: 'server' | 'client';
  movieId?: number;
  inReplyTo?: string;
}

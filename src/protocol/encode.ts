/**
 * Encoding: each outgoing message becomes one `\n`-terminated line, serialized once and
 * shared by every recipient (a Buffer, so no per-client UTF-8 conversion either).
 */
import { ERROR_CODES, type ErrorCode } from './codes.js';
import type { ClientMessage, ErrorMessage, ServerMessage } from './messages.js';

export function encodeLine(message: ServerMessage | ClientMessage): Buffer {
  return Buffer.from(`${JSON.stringify(message)}\n`, 'utf8');
}

export function errorMessage(
  code: ErrorCode,
  message: string,
  extra: { in_reply_to?: string; movie_id?: number } = {},
): ErrorMessage {
  return { action: 'error', params: { code, message, fatal: ERROR_CODES[code].fatal, ...extra } };
}

/**
 * Encoding: each outgoing message becomes one `\n`-terminated line. Portable
 * (`TextEncoder`, no Node `Buffer`) so the client core runs in a browser; the server
 * encodes into Buffers itself (src/endpoint/encode.ts), once per message for every
 * recipient.
 */
import { ERROR_CODES, type ErrorCode } from './codes.js';
import type { ClientMessage, ErrorMessage, ServerMessage } from './messages.js';

const encoder = new TextEncoder();

/** The message as one line of text, `\n` included. */
export function lineText(message: ServerMessage | ClientMessage): string {
  return `${JSON.stringify(message)}\n`;
}

/** The message as one line of UTF-8 bytes, `\n` included. */
export function lineBytes(message: ServerMessage | ClientMessage): Uint8Array {
  return encoder.encode(lineText(message));
}

export function errorMessage(
  code: ErrorCode,
  message: string,
  extra: { in_reply_to?: string; movie_id?: number } = {},
): ErrorMessage {
  return { action: 'error', params: { code, message, fatal: ERROR_CODES[code].fatal, ...extra } };
}

/**
 * The server's encoder: one message → one `\n`-terminated line in a Buffer, serialized
 * once and shared by every recipient (no per-client UTF-8 conversion). A Buffer rather
 * than the protocol's portable `lineBytes`: `Buffer.from` allocates small lines from
 * Node's pool, and the endpoint concatenates queued lines with `Buffer.concat`.
 */
import { type ClientMessage, lineText, type ServerMessage } from '../protocol/index.js';

export function encodeLine(message: ServerMessage | ClientMessage): Buffer {
  return Buffer.from(lineText(message), 'utf8');
}

/**
 * The WebSocket adapter of `Transport` (PROTOCOL.md § 12): one protocol message per
 * text frame, in both directions. Uses the platform's `WebSocket` (browsers, Node ≥ 22)
 * or any constructor with the WHATWG shape (e.g. the `ws` package in Node 20).
 *
 * The core stays byte-oriented: each received frame is handed on as one line (its
 * UTF-8 bytes plus `\n`), so the same splitter enforces `maxLineBytes` and the same
 * parser reads it, whatever the transport.
 *
 * Trust is the platform's: a browser checks `wss://` certificates itself (and gives a
 * page no way to pin or skip them).
 */
import type { EndpointAddress } from '../protocol/index.js';
import type { Stream, StreamHandlers, Transport } from './transport.js';

/** The part of the WHATWG WebSocket this adapter uses. */
export interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string; wasClean?: boolean }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface WebSocketTransportOptions {
  /** Default: `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
}

const encoder = new TextEncoder();
const NEWLINE = new Uint8Array([0x0a]);
/** WebSocket readyState values (WHATWG). */
const CLOSING = 2;

class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

class WebSocketStream implements Stream {
  constructor(
    private readonly ws: WebSocketLike,
    readonly label: string,
  ) {}
  write(data: string): void {
    if (this.ws.readyState >= CLOSING) return;
    // One message per frame; the frame needs no line terminator.
    this.ws.send(data.endsWith('\n') ? data.slice(0, -1) : data);
  }
  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }
  end(): void {
    this.ws.close(1000);
  }
  destroy(): void {
    // A page cannot drop a socket without the closing handshake; 1000 is the only
    // code besides 3000–4999 it may send.
    this.ws.close(1000);
  }
}

export function webSocketTransport(options: WebSocketTransportOptions = {}): Transport {
  return {
    kind: 'websocket',
    connect(
      target: EndpointAddress,
      handlers: StreamHandlers,
      signal: AbortSignal,
    ): Promise<Stream> {
      const Ctor =
        options.WebSocket ??
        (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ??
        undefined;
      // The endpoint's WebSocket URL, from endpoints.json or a `reconnect` (§ 11, § 12):
      // its line address (host:port) speaks another framing.
      const url = target.websocket;
      if (url === undefined)
        return Promise.reject(
          new CodedError('transport_failed', `${target.host}:${target.port} offers no WebSocket`),
        );
      if (Ctor === undefined)
        return Promise.reject(new CodedError('transport_failed', 'no WebSocket available'));
      return new Promise((resolve, reject) => {
        let ws: WebSocketLike;
        try {
          ws = new Ctor(url);
        } catch (err) {
          reject(err);
          return;
        }
        ws.binaryType = 'arraybuffer';
        let open = false;
        let closed = false;
        const onAbort = () => ws.close();
        signal.addEventListener('abort', onAbort, { once: true });
        ws.onopen = () => {
          open = true;
          signal.removeEventListener('abort', onAbort);
          resolve(new WebSocketStream(ws, url));
        };
        ws.onmessage = (ev) => {
          const data = ev.data;
          const bytes =
            typeof data === 'string'
              ? encoder.encode(data)
              : data instanceof ArrayBuffer
                ? new Uint8Array(data)
                : data instanceof Uint8Array
                  ? data
                  : encoder.encode(String(data));
          handlers.data(bytes);
          handlers.data(NEWLINE);
        };
        // Browsers give an error event no detail; the close event that follows has it.
        ws.onerror = () => {};
        ws.onclose = (ev) => {
          if (closed) return;
          closed = true;
          signal.removeEventListener('abort', onAbort);
          const why = `${url}: closed (${ev.code}${ev.reason ? ` ${ev.reason}` : ''})`;
          if (open) handlers.close(ev.code === 1000 ? undefined : new Error(why));
          else reject(new CodedError('transport_failed', why));
        };
      });
    },
  };
}

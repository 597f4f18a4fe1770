/**
 * The transport interface: the only thing the client core knows about the network.
 * A transport opens a byte stream to one endpoint: the Node adapter (node-transport.ts,
 * on its own entry `filmgrain/client/node`) uses node:net/node:tls; the WebSocket adapter
 * (websocket-transport.ts) runs in browsers.
 */
import type { EndpointAddress } from '../protocol/index.js';

/** Callbacks the core passes when it opens a connection. */
export interface StreamHandlers {
  data(chunk: Uint8Array): void;
  /** The stream ended or failed; called once, after which nothing else is called. */
  close(error?: Error): void;
}

/** An open byte stream. */
export interface Stream {
  /** Queues bytes; never throws. */
  write(data: string): void;
  /** Bytes queued and not yet sent (for the write-buffer bound). */
  readonly bufferedBytes: number;
  /** Human-readable peer, e.g. "tls://127.0.0.1:4747". */
  readonly label: string;
  /** Closes gracefully (flushes queued bytes); `close` follows. */
  end(): void;
  /** Closes at once; `close` follows. */
  destroy(): void;
}

export interface Transport {
  /**
   * Which of an endpoint's addresses it dials: the line protocol's (default) or the
   * WebSocket one that endpoints.json and `reconnect` give (PROTOCOL.md § 11, § 12).
   */
  readonly kind?: 'line' | 'websocket';
  /**
   * Opens a stream. Resolves once it is ready for bytes (TLS handshake done); rejects
   * with an Error that has a `code` (e.g. `pin_mismatch`) when it cannot be opened.
   */
  connect(target: EndpointAddress, handlers: StreamHandlers, signal: AbortSignal): Promise<Stream>;
}

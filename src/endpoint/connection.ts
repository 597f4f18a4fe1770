/**
 * What the transport-agnostic endpoint core needs of a client connection. The TCP/TLS
 * adapter (listener.ts) implements it over `net.Socket`, the WebSocket one (websocket.ts)
 * over a `ws` connection.
 */
export interface Connection {
  /**
   * Queues bytes for the client: `chunks`, in order, as one write (one TLS record where
   * they fit: the chunks are gathered by the transport, not copied into one Buffer by
   * the caller — a fan-out batch is shared by every follower). `written` runs once they
   * have left the process (handed to the kernel) or the write failed: the endpoint
   * keeps at most one write in flight per connection and queues the rest itself (see
   * Endpoint.flush), so it must run exactly once per write.
   */
  write(chunks: readonly Buffer[], written: () => void): void;
  /** Bytes accepted by `write` but not yet handed to the kernel. */
  readonly bufferedBytes: number;
  /** Flushes what is queued, then closes. */
  end(): void;
  /** Closes at once, dropping anything queued. */
  destroy(): void;
  readonly remoteAddress: string;
  /**
   * The socket's key in the kernel's TCP table (kernel-queue.ts), when the transport is
   * a kernel TCP socket: its send queue then counts against the slow-consumer bound.
   */
  readonly kernelKey?: string;
}

/**
 * Where a client dials an endpoint: the one address shape of the system. The `reconnect`
 * message, endpoints.json entries, the registry's announcements, the balancer's peers
 * and the SDK's transport targets are all this (or extend it).
 */
export interface EndpointAddress {
  host: string;
  port: number;
  /** TLS (true) or plain TCP (false, development or behind a TLS-terminating balancer). */
  tls: boolean;
  /**
   * The same endpoint's WebSocket transport (PROTOCOL.md § 12), as a `wss://` (or, in
   * development, `ws://`) URL; absent when the endpoint offers none. Browsers dial this.
   */
  websocket?: string;
}

/** Whether `text` is a WebSocket URL a client may dial (`ws://` or `wss://`, with a host). */
export function isWebSocketUrl(text: unknown): text is string {
  if (typeof text !== 'string' || text.length > 2048) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'wss:' || url.protocol === 'ws:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The port an endpoint listens on, and a client dials, when none is given. */
export const DEFAULT_PORT = 4747;

/** A readable form for logs and state events, e.g. "tls://127.0.0.1:4747". */
export function addressLabel(a: EndpointAddress): string {
  return `${a.tls ? 'tls' : 'tcp'}://${a.host}:${a.port}`;
}

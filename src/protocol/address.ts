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
}

/** The port an endpoint listens on, and a client dials, when none is given. */
export const DEFAULT_PORT = 4747;

/** A readable form for logs and state events, e.g. "tls://127.0.0.1:4747". */
export function addressLabel(a: EndpointAddress): string {
  return `${a.tls ? 'tls' : 'tcp'}://${a.host}:${a.port}`;
}

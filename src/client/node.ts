/**
 * `filmgrain/client/node`: the client SDK for Node — everything `filmgrain/client`
 * offers, plus the TLS transport (node:net / node:tls) as the default. Kept apart so
 * the portable core never imports `node:` (nats.js does the same: core + transport-node).
 */
import { FilmgrainClient } from './client.js';
import { type NodeTlsOptions, nodeTransport } from './node-transport.js';
import type { ClientOptions } from './options.js';

export * from './index.js';
export { type NodeTlsOptions, nodeTransport, normalizeFingerprint } from './node-transport.js';

export type NodeClientOptions = ClientOptions & NodeTlsOptions;

/** Creates a client that dials over TLS (or plain TCP) unless `transport` says otherwise. */
export function createClient(options: NodeClientOptions = {}): FilmgrainClient {
  return new FilmgrainClient({
    ...options,
    transport: options.transport ?? nodeTransport(options),
  });
}

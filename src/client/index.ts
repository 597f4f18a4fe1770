/**
 * `filmgrain/client`: the TypeScript client SDK of the Filmgrain protocol (PROTOCOL.md).
 * Portable: it imports nothing from `node:` and runs unchanged in a browser (proved by
 * test/client/browser-bundle.test.ts); its default transport is the platform's WebSocket.
 * Node apps use `filmgrain/client/node`, which adds the TLS transport.
 * See docs/CLIENT.md for a guide with examples.
 */

export type { EndpointAddress, RankedMovie, Tweet } from '../protocol/index.js';
export {
  type ClientEvents,
  type ClientState,
  createClient,
  type FeedLive,
  FilmgrainClient,
  type Post,
  type Ranking,
  type Redirect,
  type Retrying,
  type StateChange,
} from './client.js';
export {
  type DiscoveredEndpoint,
  endpointWeight,
  type FetchLike,
  fetchEndpoints,
  parseEndpoints,
  pickEndpoint,
} from './discovery.js';
export { CLIENT_ERROR_CODES, type ClientError, type ClientErrorCode } from './errors.js';
export { CLIENT_DEFAULTS, type ClientOptions, type EndpointOption } from './options.js';
export type { Stream, StreamHandlers, Transport } from './transport.js';
export {
  type WebSocketConstructor,
  type WebSocketLike,
  type WebSocketTransportOptions,
  webSocketTransport,
} from './websocket-transport.js';

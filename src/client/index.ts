/**
 * `filmgrain/client`: the TypeScript client SDK of the Filmgrain protocol (PROTOCOL.md).
 * See docs/CLIENT.md for a guide with examples.
 */

export type { RankedMovie, Tweet } from '../protocol/index.js';
export {
  type ClientEvents,
  type ClientState,
  createClient,
  FilmgrainClient,
  type Post,
  type Ranking,
  type Redirect,
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
export { type NodeTlsOptions, nodeTransport } from './node-transport.js';
export { CLIENT_DEFAULTS, type ClientOptions, type EndpointAddress } from './options.js';
export type { Stream, StreamHandlers, Target, Transport } from './transport.js';

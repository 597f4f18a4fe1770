/**
 * `endpoints.json`, format version 1 (PROTOCOL.md § 11): what apps download to pick an
 * endpoint. Read (the SDK) and written (the directory) here, so the two cannot drift:
 *   {"version": 1, "generated_at": "<ISO>", "endpoints": [{"id", "host", "port", "tls",
 *    "connections"?, "capacity"?}]}
 * The choice among the entries — random, weighted by free room (capacity − connections,
 * at least 1) — is part of the same section, and is also how endpoints pick a peer to
 * redirect to.
 */
import { type EndpointAddress, isWebSocketUrl } from './address.js';
import { isObject } from './json.js';

export const ENDPOINTS_FILE_VERSION = 1;

/** endpoints.json larger than this is rejected (bounded memory). */
export const MAX_DISCOVERY_BYTES = 256 * 1024;
/** At most this many endpoints are kept from one file. */
export const MAX_DISCOVERED_ENDPOINTS = 1000;

/** One entry of endpoints.json. */
export interface DiscoveredEndpoint extends EndpointAddress {
  id: string;
  connections?: number;
  capacity?: number;
}

export interface EndpointsFile {
  version: typeof ENDPOINTS_FILE_VERSION;
  generated_at: string;
  endpoints: DiscoveredEndpoint[];
}

/** What the writer needs to know of each endpoint (the registry's records fit). */
export interface ListedEndpoint extends EndpointAddress {
  id: string;
  connections: number;
  /** Connections it should hold (0 = unknown / no limit). */
  capacity: number;
  draining: boolean;
}

// ---- write ----

/** The file for these endpoints: draining ones left out, sorted by id (stable output). */
export function buildEndpointsFile(
  endpoints: readonly ListedEndpoint[],
  now: number,
): EndpointsFile {
  const listed = endpoints
    .filter((e) => !e.draining)
    .map((e) => ({
      id: e.id,
      host: e.host,
      port: e.port,
      tls: e.tls,
      ...(e.websocket === undefined ? {} : { websocket: e.websocket }),
      connections: e.connections,
      ...(e.capacity > 0 ? { capacity: e.capacity } : {}),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    version: ENDPOINTS_FILE_VERSION,
    generated_at: new Date(now).toISOString(),
    endpoints: listed,
  };
}

/**
 * What decides whether the file must be written again: membership and addresses, not
 * load figures (those change every heartbeat; they are refreshed periodically instead).
 */
export function membershipKey(file: EndpointsFile): string {
  return file.endpoints
    .map((e) => `${e.id}@${e.host}:${e.port}/${e.tls ? 't' : 'p'}/${e.websocket ?? ''}`)
    .join(',');
}

// ---- read ----

/** Validates an endpoints.json document; throws with a precise message. */
export function parseEndpoints(text: string): DiscoveredEndpoint[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('endpoints.json is not valid JSON');
  }
  if (!isObject(doc)) throw new Error('endpoints.json must be an object');
  if (doc.version !== ENDPOINTS_FILE_VERSION)
    throw new Error(`endpoints.json version ${String(doc.version)} is not 1`);
  if (!Array.isArray(doc.endpoints))
    throw new Error('endpoints.json: "endpoints" must be an array');
  const out: DiscoveredEndpoint[] = [];
  for (const [i, e] of doc.endpoints.slice(0, MAX_DISCOVERED_ENDPOINTS).entries()) {
    if (
      !isObject(e) ||
      typeof e.host !== 'string' ||
      e.host === '' ||
      !Number.isInteger(e.port) ||
      (e.port as number) < 1 ||
      (e.port as number) > 65535
    )
      throw new Error(`endpoints.json: endpoint ${i} needs "host" and a valid "port"`);
    const ep: DiscoveredEndpoint = {
      id: typeof e.id === 'string' ? e.id : `${e.host}:${e.port}`,
      host: e.host,
      port: e.port as number,
      tls: e.tls !== false,
    };
    // An entry whose `websocket` is not a ws(s) URL keeps its line address only.
    if (isWebSocketUrl(e.websocket)) ep.websocket = e.websocket;
    if (typeof e.connections === 'number') ep.connections = e.connections;
    if (typeof e.capacity === 'number') ep.capacity = e.capacity;
    out.push(ep);
  }
  if (out.length === 0) throw new Error('endpoints.json lists no endpoint');
  return out;
}

// ---- choose ----

/** What the weighted choice looks at. */
export interface Weighable {
  id: string;
  connections?: number;
  capacity?: number;
}

/** Free room (capacity − connections, at least 1; 1 when either is unknown). */
export function endpointWeight(e: Weighable): number {
  if (e.capacity === undefined || e.connections === undefined || e.capacity <= 0) return 1;
  return Math.max(1, e.capacity - e.connections);
}

/**
 * Picks one at random, weighted by free room, skipping ids in `exclude` unless every one
 * is excluded (then all are candidates again). `random` is uniform in [0, 1).
 * test/discovery/balance.test.ts measures how evenly it spreads clients.
 */
export function pickEndpoint<T extends Weighable>(
  endpoints: readonly T[],
  exclude: ReadonlySet<string>,
  random: () => number,
): T | undefined {
  let candidates = endpoints.filter((e) => !exclude.has(e.id));
  if (candidates.length === 0) candidates = [...endpoints];
  const total = candidates.reduce((s, e) => s + endpointWeight(e), 0);
  let r = random() * total;
  for (const e of candidates) {
    r -= endpointWeight(e);
    if (r < 0) return e;
  }
  return candidates[candidates.length - 1];
}

/**
 * Discovery: `endpoints.json` (the discovery issue publishes it) and the pick among
 * its endpoints. The format, version 1:
 *   {"version": 1, "generated_at": "<ISO>", "endpoints": [{"id", "host", "port", "tls",
 *    "connections"?, "capacity"?}]}
 * The pick is random, weighted by free capacity (capacity − connections, at least 1)
 * when both are given, so a crowd of clients spreads over the endpoints in proportion
 * to their room; endpoints that failed since the last success are skipped.
 */

export interface DiscoveredEndpoint {
  id: string;
  host: string;
  port: number;
  tls: boolean;
  connections?: number;
  capacity?: number;
}

/** endpoints.json larger than this is rejected (bounded memory). */
export const MAX_DISCOVERY_BYTES = 256 * 1024;
/** At most this many endpoints are kept from one file. */
export const MAX_DISCOVERED_ENDPOINTS = 1000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates an endpoints.json document; throws with a precise message. */
export function parseEndpoints(text: string): DiscoveredEndpoint[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('endpoints.json is not valid JSON');
  }
  if (!isObj(doc)) throw new Error('endpoints.json must be an object');
  if (doc.version !== 1) throw new Error(`endpoints.json version ${String(doc.version)} is not 1`);
  if (!Array.isArray(doc.endpoints))
    throw new Error('endpoints.json: "endpoints" must be an array');
  const out: DiscoveredEndpoint[] = [];
  for (const [i, e] of doc.endpoints.slice(0, MAX_DISCOVERED_ENDPOINTS).entries()) {
    if (
      !isObj(e) ||
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
    if (typeof e.connections === 'number') ep.connections = e.connections;
    if (typeof e.capacity === 'number') ep.capacity = e.capacity;
    out.push(ep);
  }
  if (out.length === 0) throw new Error('endpoints.json lists no endpoint');
  return out;
}

// The weighted random choice is shared with the endpoints' own redirect choice.
export { endpointWeight, pickEndpoint } from '../discovery/choose.js';

export type FetchLike = (
  url: string,
  init: { signal: AbortSignal },
) => Promise<{
  ok: boolean;
  status: number;
  body: ReadableStream<Uint8Array> | null;
}>;

/** Downloads and validates endpoints.json, reading at most MAX_DISCOVERY_BYTES. */
export async function fetchEndpoints(
  url: string,
  fetchFn: FetchLike,
  signal: AbortSignal,
): Promise<DiscoveredEndpoint[]> {
  const res = await fetchFn(url, { signal });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  if (res.body === null) throw new Error(`GET ${url}: empty body`);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_DISCOVERY_BYTES) {
      await reader.cancel();
      throw new Error(`GET ${url}: larger than ${MAX_DISCOVERY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return parseEndpoints(new TextDecoder().decode(bytes));
}

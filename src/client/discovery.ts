/**
 * Discovery, the SDK's I/O half: downloading endpoints.json. The format, its reader and
 * the weighted choice among its endpoints are protocol (src/protocol/endpoints-file.ts,
 * PROTOCOL.md § 11), re-exported here for the SDK's users.
 */
import { type DiscoveredEndpoint, MAX_DISCOVERY_BYTES, parseEndpoints } from '../protocol/index.js';

export {
  type DiscoveredEndpoint,
  endpointWeight,
  MAX_DISCOVERED_ENDPOINTS,
  MAX_DISCOVERY_BYTES,
  parseEndpoints,
  pickEndpoint,
} from '../protocol/index.js';

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

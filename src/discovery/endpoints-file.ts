/**
 * `endpoints.json`, format version 1 (PROTOCOL.md § 11): what apps download to pick an
 * endpoint. Built from the registry: only live endpoints that take clients are listed.
 */

export const ENDPOINTS_FILE_VERSION = 1;

/** One endpoint as the registry knows it. */
export interface ListedEndpoint {
  id: string;
  /** Public address clients dial. */
  host: string;
  port: number;
  tls: boolean;
  connections: number;
  /** Connections it should hold (0 = unknown / no limit). */
  capacity: number;
  draining: boolean;
}

export interface EndpointsFile {
  version: typeof ENDPOINTS_FILE_VERSION;
  generated_at: string;
  endpoints: {
    id: string;
    host: string;
    port: number;
    tls: boolean;
    connections: number;
    capacity?: number;
  }[];
}

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
  return file.endpoints.map((e) => `${e.id}@${e.host}:${e.port}/${e.tls ? 't' : 'p'}`).join(',');
}

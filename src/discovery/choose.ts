/**
 * The random choice that balances: an endpoint is picked with probability proportional
 * to its free room (capacity − connections, at least 1; 1 when either is unknown). Used
 * by apps choosing from endpoints.json and by endpoints choosing where to redirect.
 * test/discovery/balance.test.ts measures how evenly it spreads clients.
 */

export interface Weighable {
  id: string;
  connections?: number;
  capacity?: number;
}

export function endpointWeight(e: Weighable): number {
  if (e.capacity === undefined || e.connections === undefined || e.capacity <= 0) return 1;
  return Math.max(1, e.capacity - e.connections);
}

/**
 * Picks one at random, weighted, skipping ids in `exclude` unless every one is excluded
 * (then all are candidates again). `random` is uniform in [0, 1).
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

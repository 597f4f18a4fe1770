/**
 * Randomness that balances (issue 5 §5): clients that each pick an endpoint from
 * endpoints.json at random, weighted by free room, spread evenly; when one endpoint
 * dies its clients spread over the rest. A simulation with a seeded PRNG over the real
 * `pickEndpoint` of the client SDK, and the directory's real file builder.
 *
 * Tolerance: with N = 20,000 clients on M = 5 endpoints, every endpoint holds within
 * ±3 % of N/M. (Unweighted uniform choice has a standard deviation of
 * sqrt(N·p·(1−p)) ≈ 57 clients = 1.4 % of 4,000; weighting by free room pulls the
 * spread tighter still, since an endpoint that got more becomes less likely.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../src/feeder/sources/prng.js';
import {
  buildEndpointsFile,
  type DiscoveredEndpoint,
  type ListedEndpoint,
  pickEndpoint,
} from '../../src/protocol/index.js';

const M = 5;
const N = 20_000;
const CAPACITY = 6_000;
const TOLERANCE = 0.03;
/** The directory rewrites the file (with fresh load figures) after this many joins. */
const REFRESH_EVERY = 500;

function simulate(
  endpoints: ListedEndpoint[],
  clients: number,
  random: () => number,
): Map<string, number> {
  const load = new Map(endpoints.map((e) => [e.id, e.connections]));
  let file: DiscoveredEndpoint[] = [];
  for (let i = 0; i < clients; i++) {
    if (i % REFRESH_EVERY === 0) {
      const listed = endpoints.map((e) => ({ ...e, connections: load.get(e.id)! }));
      file = buildEndpointsFile(listed, 0).endpoints.map((e) => ({ ...e }));
    }
    const chosen = pickEndpoint(file, new Set(), random)!;
    load.set(chosen.id, load.get(chosen.id)! + 1);
  }
  return load;
}

const fleet = (n: number): ListedEndpoint[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `ep${i}`,
    host: '127.0.0.1',
    port: 5000 + i,
    tls: true,
    connections: 0,
    capacity: CAPACITY,
    draining: false,
  }));

test(`${N} clients over ${M} endpoints: each within ±${TOLERANCE * 100} % of the mean`, () => {
  for (const seed of [1, 2, 3]) {
    const load = simulate(fleet(M), N, mulberry32(seed));
    for (const [id, n] of load)
      assert.ok(Math.abs(n - N / M) <= (N / M) * TOLERANCE, `seed ${seed}: ${id} holds ${n}`);
  }
});

test('after one endpoint dies, its clients spread over the rest within the same tolerance', () => {
  const random = mulberry32(7);
  const eps = fleet(M);
  const before = simulate(eps, N, random);
  const dead = eps[0]!;
  const orphans = before.get(dead.id)!;
  const survivors = eps.slice(1).map((e) => ({ ...e, connections: before.get(e.id)! }));
  const after = simulate(survivors, orphans, random);
  const total = [...after.values()].reduce((a, b) => a + b, 0);
  assert.equal(total, N);
  for (const [id, n] of after)
    assert.ok(Math.abs(n - N / (M - 1)) <= (N / (M - 1)) * TOLERANCE, `${id} holds ${n}`);
});

test('weighting by free room fills an emptier endpoint first', () => {
  const eps = fleet(2);
  eps[0]!.connections = 5_000;
  const load = simulate(eps, 2_000, mulberry32(11));
  // ep1 starts with 6,000 free vs 1,000: it should take the large majority.
  assert.ok(load.get('ep1')! > 1_600, `ep1 took ${load.get('ep1')}`);
});

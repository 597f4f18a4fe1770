/** endpoints.json parsing, the weighted pick, and the TLS trust options. */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, test } from 'node:test';
import {
  type ClientError,
  createClient,
  type DiscoveredEndpoint,
  endpointWeight,
  fetchEndpoints,
  parseEndpoints,
  pickEndpoint,
} from '../../src/client/node.js';
import { healthy, type RawServer, startRawServer } from './raw-server.js';

test('parseEndpoints validates and fills defaults', () => {
  const list = parseEndpoints(
    JSON.stringify({
      version: 1,
      generated_at: '2025-01-01T00:00:00Z',
      endpoints: [
        { id: 'a', host: 'a.example', port: 4747, tls: true, connections: 10, capacity: 100 },
        { host: 'b.example', port: 4748 },
      ],
    }),
  );
  assert.deepEqual(list[1], { id: 'b.example:4748', host: 'b.example', port: 4748, tls: true });
  assert.throws(() => parseEndpoints('{"version":2,"endpoints":[]}'), /version 2/);
  assert.throws(() => parseEndpoints('{"version":1,"endpoints":[]}'), /no endpoint/);
  assert.throws(
    () => parseEndpoints('{"version":1,"endpoints":[{"host":"x","port":70000}]}'),
    /valid "port"/,
  );
  assert.throws(() => parseEndpoints('nope'), /not valid JSON/);
});

test('the pick is weighted by free capacity (min 1) and skips failed endpoints', () => {
  const eps: DiscoveredEndpoint[] = [
    { id: 'full', host: 'a', port: 1, tls: true, connections: 100, capacity: 100 },
    { id: 'roomy', host: 'b', port: 1, tls: true, connections: 0, capacity: 99 },
  ];
  assert.deepEqual(eps.map(endpointWeight), [1, 99]);
  const counts = { full: 0, roomy: 0 } as Record<string, number>;
  for (let i = 0; i < 100; i++) counts[pickEndpoint(eps, new Set(), () => i / 100)!.id]!++;
  assert.deepEqual(counts, { full: 1, roomy: 99 });
  assert.equal(pickEndpoint(eps, new Set(['roomy']), () => 0.99)?.id, 'full');
  assert.ok(
    pickEndpoint(eps, new Set(['roomy', 'full']), () => 0.5),
    'all failed: all again',
  );
});

test('fetchEndpoints stops reading past its size bound', async () => {
  const huge = new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(new Uint8Array(64 * 1024));
    },
  });
  await assert.rejects(
    fetchEndpoints(
      'http://x/endpoints.json',
      async () => ({ ok: true, status: 200, body: huge }),
      AbortSignal.timeout(2000),
    ),
    /larger than/,
  );
});

const servers: RawServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function tryTls(opts: { ca?: Buffer | string; pin?: string; insecure?: boolean }) {
  const server = await startRawServer(healthy);
  servers.push(server);
  const client = createClient({ port: server.port, ...opts, backoff: { baseMs: 5000 } });
  const errs: ClientError[] = [];
  client.on('error', (e) => errs.push(e));
  const ok = await Promise.race([
    client.connect().then(() => true),
    client.once('error').then(() => false),
  ]);
  await client.close();
  return { ok, errs };
}

test('TLS trust: a given CA, a pinned fingerprint, insecure; system CAs reject the dev cert', async () => {
  const server = await startRawServer(healthy);
  servers.push(server);
  const fp = new X509Certificate(server.ca).fingerprint256;
  assert.equal((await tryTls({ ca: server.ca })).ok, true);
  assert.equal((await tryTls({ pin: fp })).ok, true);
  assert.equal((await tryTls({ pin: fp.replaceAll(':', '').toLowerCase() })).ok, true);
  assert.equal((await tryTls({ insecure: true })).ok, true);
  const wrong = await tryTls({ pin: 'AB'.repeat(32) });
  assert.equal(wrong.ok, false);
  assert.equal(wrong.errs[0]?.code, 'pin_mismatch');
  const system = await tryTls({});
  assert.equal(system.ok, false);
  assert.equal(system.errs[0]?.code, 'transport_failed');
  assert.match(system.errs[0]?.message ?? '', /self.signed|certificate/i);
});

test('follow validates ids and the feed limit', () => {
  const client = createClient({ maxFeeds: 2 });
  client.follow(1);
  client.follow(1); // idempotent
  client.follow(2);
  assert.throws(() => client.follow(3), RangeError);
  assert.throws(() => client.follow(0), RangeError);
  client.unfollow(1);
  client.follow(3);
  assert.deepEqual(client.following, [2, 3]);
});

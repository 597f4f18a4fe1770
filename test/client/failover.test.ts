/**
 * Issue 6: "kill the endpoint a client is on → it reconnects to another and receives
 * every post published in between, none twice". Both endpoints share one MemoryEngine,
 * so the second holds the history the client resumes from with `since`.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { after, test } from 'node:test';
import { freePort } from '../../harness/ports.js';
import { until } from '../../harness/until.js';
import { createClient, type Post } from '../../src/client/node.js';
import type { MemoryEngine } from '../../src/engine/memory.js';
import { testCertificate } from '../support/certs.js';
import {
  type KillableEndpoint,
  killableEndpoint,
  post,
  rankedEngine,
} from '../support/endpoint.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/**
 * A on port 0, B later on `bPort`. The client follows two movies; posts are published
 * before the kill, while no endpoint is up, and after the client reconnected to B.
 */
async function scenario(
  engine: MemoryEngine,
  a: KillableEndpoint,
  bPort: number,
  client: ReturnType<typeof createClient>,
): Promise<void> {
  cleanups.push(() => client.close());
  const posts: Post[] = [];
  client.on('post', (p) => posts.push(p));
  await client.connect();
  client.follow(1);
  client.follow(2);
  await new Promise((r) => setTimeout(r, 50)); // let both start_feeds land
  const texts: string[] = [];
  const publish = async (n: number, tag: string) => {
    for (let i = 0; i < n; i++) {
      const text = `${tag} ${i}`;
      texts.push(text);
      await engine.ingest([post([i % 2 === 0 ? 1 : 2], text)]);
    }
  };
  await publish(4, 'before');
  await until(() => posts.length === 4, 3000, 'posts before the kill');
  await a.kill();
  await until(() => client.state === 'reconnecting', 3000, 'reconnecting');
  await publish(6, 'between');
  const b = await killableEndpoint(engine, 'line', { port: bPort });
  cleanups.push(() => b.kill());
  await until(() => client.state === 'connected', 5000, 'reconnected');
  assert.equal(client.endpoint, `tls://127.0.0.1:${bPort}`);
  await publish(4, 'after');
  await until(() => posts.length >= texts.length, 5000, 'every post');
  await new Promise((r) => setTimeout(r, 100)); // a duplicate would have arrived by now
  assert.deepEqual(
    posts.map((p) => p.tweet.text).sort(),
    [...texts].sort(),
    'every post, none twice',
  );
  assert.equal(client.reconnects, 1);
  assert.ok(posts.every((p) => !p.gap));
}

test('host list: the endpoint dies, the client falls back to the next and resumes', async () => {
  const engine = await rankedEngine();
  cleanups.push(() => engine.close());
  const a = await killableEndpoint(engine);
  const bPort = await freePort();
  const client = createClient({
    endpoints: [
      { host: '127.0.0.1', port: a.listener.port },
      { host: '127.0.0.1', port: bPort },
    ],
    random: () => 0, // the first pick is A
    ca: (await testCertificate()).cert,
    backoff: { baseMs: 20, capMs: 200 },
  });
  if (process.env.DEBUG_CLIENT) client.on('error', (e) => console.log(e.code, e.message));
  await scenario(engine, a, bPort, client);
});

test('directory: endpoints.json changes after the kill; the client fetches it again', async () => {
  const engine = await rankedEngine();
  cleanups.push(() => engine.close());
  const a = await killableEndpoint(engine);
  const bPort = await freePort();
  let listed = [a.listener.port];
  let fetches = 0;
  const directory = http.createServer((_req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        version: 1,
        generated_at: new Date().toISOString(),
        endpoints: listed.map((port) => ({
          id: `e${port}`,
          host: '127.0.0.1',
          port,
          tls: true,
          connections: 0,
          capacity: 100,
        })),
      }),
    );
  });
  await new Promise<void>((r) => directory.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => directory.close(() => r())));
  const url = `http://127.0.0.1:${(directory.address() as net.AddressInfo).port}/endpoints.json`;
  const client = createClient({
    directory: url,
    ca: (await testCertificate()).cert,
    backoff: { baseMs: 20, capMs: 200 },
  });
  client.on('state', ({ to }) => {
    if (to === 'reconnecting') listed = [bPort];
  });
  await scenario(engine, a, bPort, client);
  assert.ok(fetches >= 2, `fetched endpoints.json ${fetches} times`);
});

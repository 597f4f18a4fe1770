/**
 * What only the WebSocket transport has (PROTOCOL.md § 12): the Origin allow-list, the
 * HTTP answers of its port, and the SDK's WebSocket transport end to end — discovery
 * with a `websocket` URL, a redirect to another endpoint's WebSocket, resume with
 * `since` and no duplicate. The session, bad-input, limit and slow-consumer suites run
 * over both transports in their own files.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import WebSocket from 'ws';
import { until } from '../../harness/until.js';
import { WsClient } from '../../harness/ws-client.js';
import { createClient, type Post, webSocketTransport } from '../../src/client/index.js';
import type { WebSocketConstructor } from '../../src/client/websocket-transport.js';
import { Endpoint } from '../../src/endpoint/endpoint.js';
import { listenWebSocket } from '../../src/endpoint/websocket.js';
import type { MemoryEngine } from '../../src/engine/memory.js';
import { buildEndpointsFile } from '../../src/protocol/index.js';
import { testCertificate } from '../support/certs.js';
import { killableEndpoint, post, rankedEngine } from '../support/endpoint.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const wsEndpoint = (engine: MemoryEngine, origins: string[] = []) =>
  killableEndpoint(engine, 'websocket', { origins });

/** `ws` with the test CA, in the WHATWG shape the SDK's transport takes. */
function trustingWebSocket(ca: Buffer | string): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, {
        ca,
        servername: 'localhost',
        perMessageDeflate: false,
      } as WebSocket.ClientOptions);
    }
  } as unknown as WebSocketConstructor;
}

describe('the WebSocket transport', () => {
  test('Origin: listed origins and non-browser clients pass; others get 403 and are counted', async () => {
    const engine = await rankedEngine();
    const ep = await wsEndpoint(engine, ['https://app.example.com']);
    cleanups.push(() => ep.kill());
    const ca = (await testCertificate()).cert;
    const listed = await WsClient.connect({ url: ep.url, ca, origin: 'https://app.example.com' });
    listed.send('connect', {});
    assert.equal((await listed.next())?.action, 'set_movies');
    const noOrigin = await WsClient.connect({ url: ep.url, ca });
    noOrigin.send('connect', {});
    assert.equal((await noOrigin.next())?.action, 'set_movies');
    await assert.rejects(
      WsClient.connect({ url: ep.url, ca, origin: 'https://evil.example' }),
      (err: { status?: number }) => err.status === 403,
    );
    assert.equal(ep.endpoint.stats.originsRefused, 1);
    assert.equal(ep.endpoint.connectionCount, 2, 'a refused upgrade makes no session');
    listed.close();
    noOrigin.close();
  });

  test('"*" allows any origin', async () => {
    const ep = await wsEndpoint(await rankedEngine(), ['*']);
    cleanups.push(() => ep.kill());
    const c = await WsClient.connect({
      url: ep.url,
      ca: (await testCertificate()).cert,
      origin: 'https://anything.example',
    });
    c.send('connect', {});
    assert.equal((await c.next())?.action, 'set_movies');
    c.close();
  });

  test('the port answers plain HTTP with 426 and another path with 404', async () => {
    const engine = await rankedEngine();
    const endpoint = new Endpoint(engine);
    const ws = await listenWebSocket(endpoint, { host: '127.0.0.1', port: 0, origins: new Set() });
    cleanups.push(async () => {
      await endpoint.close();
      await ws.close();
    });
    const status = await new Promise<number>((resolve, reject) =>
      http
        .get(`http://127.0.0.1:${ws.port}/`, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject),
    );
    assert.equal(status, 426);
    await assert.rejects(
      WsClient.connect({ url: `ws://127.0.0.1:${ws.port}/elsewhere` }),
      (err: { status?: number }) => err.status === 404,
    );
  });

  test('the SDK over WebSocket: discovery, feed, endpoint killed → resumes on another with no loss and no duplicate', async () => {
    const engine = await rankedEngine();
    const a = await wsEndpoint(engine);
    const b = await wsEndpoint(engine);
    // Whichever the client picks is killed in the test; killing again is a no-op.
    cleanups.push(
      () => a.kill(),
      () => b.kill(),
    );
    let listed = [a, b];
    // endpoints.json as the directory writes it, with the WebSocket URLs.
    const directory = http.createServer((_req, res) => {
      const file = buildEndpointsFile(
        listed.map((e, i) => ({
          id: `ep${i}-${e.listener.port}`,
          host: '127.0.0.1',
          port: 1, // the line port: a WebSocket client must not dial it
          tls: true,
          websocket: e.url,
          connections: 0,
          capacity: 0,
          draining: false,
        })),
        Date.now(),
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(file));
    });
    await new Promise<void>((r) => directory.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => directory.close(() => r())));
    const dirUrl = `http://127.0.0.1:${(directory.address() as AddressInfo).port}/endpoints.json`;

    const client = createClient({
      directory: dirUrl,
      transport: webSocketTransport({
        WebSocket: trustingWebSocket((await testCertificate()).cert),
      }),
      backoff: { baseMs: 50, capMs: 200 },
    });
    cleanups.push(() => client.close());
    const got: Post[] = [];
    client.on('post', (p) => got.push(p));
    client.follow(1);
    await client.connect();
    const first = a.endpoint.connectionCount === 1 ? a : b;
    const other = first === a ? b : a;
    await until(() => first.endpoint.stats.feedsStarted === 1, 5000, 'feed started');
    await engine.ingest([post([1], 'before')]);
    await until(() => got.length === 1, 5000, 'first post');

    listed = [other];
    await first.kill();
    for (let i = 0; i < 5; i++) await engine.ingest([post([1], `while away ${i}`)]);
    await until(() => got.length === 6, 10_000, 'the posts published while away');
    await engine.ingest([post([1], 'after')]);
    await until(() => got.length === 7, 5000, 'a live post after the move');
    assert.equal(other.endpoint.connectionCount, 1);
    const ids = got.map((p) => p.postId);
    assert.equal(new Set(ids).size, ids.length, 'no duplicate');
    assert.deepEqual(
      got.map((p) => p.tweet.text),
      ['before', ...Array.from({ length: 5 }, (_, i) => `while away ${i}`), 'after'],
    );
  });

  test('reconnect names the peer’s WebSocket URL, and the SDK goes there', async () => {
    const engine = await rankedEngine();
    const a = await wsEndpoint(engine);
    const b = await wsEndpoint(engine);
    cleanups.push(
      () => a.kill(),
      () => b.kill(),
    );
    const client = createClient({
      endpoints: [{ host: '127.0.0.1', port: 1, websocket: a.url }],
      transport: webSocketTransport({
        WebSocket: trustingWebSocket((await testCertificate()).cert),
      }),
    });
    cleanups.push(() => client.close());
    const redirects: string[] = [];
    client.on('redirect', (r) => redirects.push(r.target.websocket ?? ''));
    await client.connect();
    const [session] = a.endpoint.someSessions(1);
    a.endpoint.redirect(session!, {
      host: '127.0.0.1',
      port: 2,
      tls: true,
      websocket: b.url,
      reason: 'overloaded',
    });
    await until(() => b.endpoint.connectionCount === 1, 5000, 'moved to b');
    assert.deepEqual(redirects, [b.url]);
  });
});

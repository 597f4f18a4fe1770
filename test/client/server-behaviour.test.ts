/**
 * The client against scripted servers (raw-server.ts): redirects, silence, an
 * unsupported version, an oversized line.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { until } from '../../harness/until.js';
import { type ClientError, createClient, type FilmgrainClient } from '../../src/client/node.js';
import { healthy, MOVIES, type RawServer, startRawServer } from './raw-server.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});
function track<T extends RawServer | FilmgrainClient>(x: T): T {
  cleanups.push(() => x.close());
  return x;
}
function errors(client: FilmgrainClient): ClientError[] {
  const out: ClientError[] = [];
  client.on('error', (e) => out.push(e));
  return out;
}

test('a reconnect redirect is followed within a second, after delay_ms, with since', async () => {
  const b = track(await startRawServer(healthy));
  const a = track(
    await startRawServer((conn, m) => {
      healthy(conn, m);
      if (m.action === 'start_feed') {
        conn.send('post_tweet', {
          movie_id: 1,
          post_id: '100-0',
          tweet: { id: 't1', text: 'first', user: { id: 'u', name: 'u' }, created_at: '' },
        });
        conn.send('reconnect', {
          host: '127.0.0.1',
          port: b.port,
          tls: true,
          reason: 'draining',
          delay_ms: 150,
        });
      }
    }),
  );
  const client = track(createClient({ port: a.port, ca: a.ca }));
  const redirected = client.once('redirect');
  await client.connect();
  client.follow(1);
  await redirected;
  const at = Date.now();
  await until(
    () => client.state === 'connected' && client.endpoint?.endsWith(`:${b.port}`) === true,
    1000,
    'connected to B',
  );
  const took = Date.now() - at;
  assert.ok(took >= 140 && took < 1000, `moved in ${took} ms`);
  await until(() => b.connections[0]?.lines.some((l) => l.action === 'start_feed') === true);
  const resume = b.connections[0]!.lines.find((l) => l.action === 'start_feed');
  assert.deepEqual(resume?.params, { movie_id: 1, since: '100-0' });
  assert.equal(client.reconnects, 1);
});

test('a silent server is detected by heartbeat and the client reconnects', async () => {
  let silent = false;
  const server = track(
    await startRawServer((conn, m) => {
      if (!silent) healthy(conn, m);
    }),
  );
  const client = track(
    createClient({
      port: server.port,
      ca: server.ca,
      pingIntervalMs: 250,
      backoff: { baseMs: 10 },
    }),
  );
  const errs = errors(client);
  await client.connect();
  await new Promise((r) => setTimeout(r, 700)); // pongs keep it alive past deadAfterMs
  assert.equal(client.state, 'connected');
  assert.equal(errs.length, 0);
  assert.ok(client.rttMs !== undefined && client.rttMs < 100);
  silent = true;
  const at = Date.now();
  await client.once('state', (s) => s.to === 'reconnecting');
  const took = Date.now() - at;
  assert.equal(errs[0]?.code, 'dead_connection');
  // deadAfterMs = 2 × 250 ms after the last byte (the last pong, up to 250 ms ago).
  assert.ok(took >= 240 && took < 1500, `detected after ${took} ms`);
});

test('a server that accepts TLS and never answers connect is abandoned in time', async () => {
  const server = track(await startRawServer(() => {}));
  const client = track(
    createClient({
      port: server.port,
      ca: server.ca,
      pingIntervalMs: 100,
      backoff: { baseMs: 10 },
    }),
  );
  const errs = errors(client);
  void client.connect().catch(() => {});
  await until(() => server.connections.length >= 2, 2000, 'a second attempt');
  assert.equal(errs[0]?.code, 'dead_connection');
  assert.equal(client.state, 'connecting');
});

/** A server that refuses every `connect` whose version is not in `speaks`. */
function refusing(speaks: number[]) {
  return (conn: Parameters<typeof healthy>[0], m: Parameters<typeof healthy>[1]) => {
    if (m.action === 'connect' && !speaks.includes((m.params.version as number) ?? 1)) {
      conn.send('error', {
        code: 'unsupported_version',
        message: `this server speaks protocol version ${speaks.join(', ') || 'none'}`,
        fatal: true,
        in_reply_to: 'connect',
      });
      conn.socket.end();
      return;
    }
    healthy(conn, m);
  };
}

test('a server older than protocol v2: the default client speaks v1 to it at once', async () => {
  const server = track(await startRawServer(refusing([1])));
  const client = track(
    createClient({ port: server.port, ca: server.ca, rankingSize: 20, liveCap: true }),
  );
  const errs = errors(client);
  const at = Date.now();
  await client.connect();
  assert.ok(Date.now() - at < 1000, 'no back-off before the v1 attempt');
  assert.equal(client.state, 'connected');
  assert.deepEqual(
    server.connections.map((c) => c.lines[0]?.params.version),
    [2, 1],
  );
  const v1 = server.connections[1]!.lines[0]!.params;
  assert.equal(v1.ranking_size, undefined, 'no v2 fields in a v1 connect');
  assert.equal(v1.live_cap, undefined);
  assert.deepEqual(
    errs.map((e) => e.code),
    ['unsupported_version'],
  );
});

test('a fatal unsupported_version of every version stops retrying and closes the client', async () => {
  const server = track(await startRawServer(refusing([])));
  const client = track(createClient({ port: server.port, ca: server.ca, backoff: { baseMs: 10 } }));
  const errs = errors(client);
  await assert.rejects(client.connect(), /unsupported_version/);
  assert.equal(client.state, 'closed');
  assert.equal(errs[0]?.code, 'unsupported_version');
  assert.deepEqual(
    server.connections.map((c) => c.lines[0]?.params.version),
    [2, 1],
    'v2, then v1, then nothing',
  );
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(server.connections.length, 2, 'no retry');
});

test('a client that asked for protocol 2 does not fall back: unsupported_version stops it', async () => {
  const server = track(await startRawServer(refusing([1])));
  const client = track(
    createClient({ port: server.port, ca: server.ca, protocolVersion: 2, backoff: { baseMs: 10 } }),
  );
  await assert.rejects(client.connect(), /unsupported_version/);
  assert.equal(client.state, 'closed');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(server.connections.length, 1, 'no retry');
});

test('an oversized server line is cut off at maxLineBytes, not buffered', async () => {
  const chunk = 'x'.repeat(64 * 1024);
  const server = track(
    await startRawServer((conn, m) => {
      healthy(conn, m);
      // 4 MiB without a newline, on the first connection only.
      if (m.action === 'connect' && server.connections.length === 1)
        for (let i = 0; i < 64; i++) conn.socket.write(chunk);
    }),
  );
  const client = track(
    createClient({
      port: server.port,
      ca: server.ca,
      maxLineBytes: 256 * 1024,
      backoff: { baseMs: 10 },
    }),
  );
  const errs = errors(client);
  const before = process.memoryUsage().arrayBuffers;
  await client.connect();
  await until(() => errs.some((e) => e.code === 'line_too_long'), 3000, 'line_too_long');
  await until(() => client.state === 'connected' && server.connections.length === 2, 3000, 'back');
  assert.equal(client.ranking?.movies[0]?.title, MOVIES[0]!.title);
  const grew = process.memoryUsage().arrayBuffers - before;
  assert.ok(grew < 3 * 1024 * 1024, `buffers grew ${grew} bytes`);
});

/**
 * Discovery and load balancing with real processes on one Redis: endpoints, a directory
 * publishing to a local S3-compatible server, redirects past capacity, draining, and a
 * rolling restart under SDK clients that must lose no post.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { LineClient } from '../../harness/line-client.js';
import {
  DUNE_2,
  killAll,
  postLine,
  startCli,
  startEndpointProcess,
  startFeederProcess,
} from '../../harness/processes.js';
import { sparePort } from '../../harness/redis-servers.js';
import { until } from '../../harness/until.js';
import { createClient, type FilmgrainClient } from '../../src/client/node.js';
import { type LocalS3, startLocalS3 } from './s3-server.js';

const REDIS = 'redis://127.0.0.1:6379';
// Overload shedding by event-loop delay is off: on a loaded CI machine it would redirect
// clients these tests count (it has its own test in test/endpoint/balancer.test.ts).
const FAST = ['--heartbeat', '300', '--redirect-spread', '0', '--event-loop-high', '0'];

describe('discovery with real processes', () => {
  let s3: LocalS3;
  before(async () => {
    s3 = await startLocalS3();
  });
  after(async () => {
    await killAll();
    await s3.close();
  });

  /**
   * What the published file lists now. A new connection for every read, with a
   * deadline: a keep-alive connection that s3rver was closing (Node's 5 s idle timeout)
   * stalled a poll for ~6 s, which this test then counted as the directory's latency
   * (both directories had published the change within a second; logged while chasing it).
   */
  const listed = (key: string): Promise<string[]> =>
    new Promise((resolve) => {
      const req = httpGet(s3.url(key), { agent: false, timeout: 1000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) return resolve([]);
          // s3rver (unlike S3) may serve a half-written object: read it as "not yet".
          try {
            const file = JSON.parse(text) as { endpoints: { id: string }[] };
            resolve(file.endpoints.map((e) => e.id).sort());
          } catch {
            resolve([]);
          }
        });
        res.on('error', () => resolve([]));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve([])); // "not yet": the poll reads again
    });

  test('the published file (two directories writing it) lists exactly the live endpoints: join, kill, drain', async () => {
    const dep = `disco-${randomBytes(4).toString('hex')}`;
    const key = `${dep}/endpoints.json`;
    const eps = await Promise.all([1, 2, 3].map(() => startEndpointProcess(REDIS, dep, FAST)));
    // Two directories on the same key, as for availability: they must not fight.
    const dirArgs = [
      'directory',
      '--redis',
      REDIS,
      '--deployment',
      dep,
      '--s3-bucket',
      s3.bucket,
      '--s3-key',
      key,
      '--s3-endpoint',
      s3.endpoint,
      '--poll-ms',
      '200',
    ];
    const creds = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
    const dirs = [startCli(dirArgs, creds), startCli(dirArgs, creds)];
    for (const dir of dirs) await dir.waitFor(/publishing to s3:\/\//);
    const ids = () => eps.map((e) => e.id).sort();
    await until(
      async () => (await listed(key)).join() === ids().join(),
      8000,
      'three endpoints listed',
      100,
    );

    // From the moment the new endpoint runs (its process start-up is not the directory's
    // latency, and on a loaded machine it alone can take seconds).
    const joining = await startEndpointProcess(REDIS, dep, FAST);
    const t0 = Date.now();
    eps.push(joining);
    await until(
      async () => (await listed(key)).join() === ids().join(),
      8000,
      'the join listed',
      100,
    );
    const joinMs = Date.now() - t0;

    const killed = eps.shift()!;
    const t1 = Date.now();
    await killed.proc.kill('SIGKILL');
    await until(
      async () => (await listed(key)).join() === ids().join(),
      8000,
      'the killed one gone',
      100,
    );
    const killMs = Date.now() - t1;

    const drained = eps.shift()!;
    const drain = startCli(['drain', '--redis', REDIS, '--deployment', dep, '--id', drained.id]);
    assert.equal(await drain.exited, 0);
    // From the moment the flag is set (`filmgrain drain` exited): starting that CLI
    // process is not the directory's latency, and on a loaded machine it took seconds.
    const t2 = Date.now();
    await until(
      async () => (await listed(key)).join() === ids().join(),
      8000,
      'the drained one gone',
      100,
    );
    const drainMs = Date.now() - t2;
    assert.equal(await drained.proc.exited, 0, 'a drained endpoint with no clients exits cleanly');
    assert.ok(
      joinMs < 5000 && killMs < 5000 && drainMs < 5000,
      `join ${joinMs} kill ${killMs} drain ${drainMs} ms`,
    );
  });

  test('an endpoint over capacity redirects clients to one with room, never to a full one', async () => {
    const dep = `shed-${randomBytes(4).toString('hex')}`;
    const full = await startEndpointProcess(REDIS, dep, [...FAST, '--capacity', '2']);
    const fullClients = await Promise.all(
      [1, 2].map(() => LineClient.connect({ port: full.port })),
    );
    for (const c of fullClients) c.send('connect', {});
    for (const c of fullClients) await c.nextOf('set_movies', 5000);
    // Peers learn of load through heartbeats (300 ms): let "full" announce its two.
    await new Promise((r) => setTimeout(r, 1000));
    const busy = await startEndpointProcess(REDIS, dep, [...FAST, '--capacity', '5']);
    // No peer with room yet: all eight stay.
    const clients = await Promise.all(
      Array.from({ length: 8 }, () => LineClient.connect({ port: busy.port })),
    );
    for (const c of clients) c.send('connect', {});
    for (const c of clients) await c.nextOf('set_movies', 5000);
    await new Promise((r) => setTimeout(r, 800)); // heartbeats carry the counts
    for (const c of clients) c.drain();
    assert.ok(
      clients.every((c) => !c.socket.destroyed),
      'nobody sent to the full endpoint',
    );

    const roomy = await startEndpointProcess(REDIS, dep, [...FAST, '--capacity', '100']);
    const redirected: number[] = [];
    await Promise.all(
      clients.map(async (c) => {
        const m = await c.nextOf('reconnect', 6000).catch(() => null);
        if (m !== null) redirected.push(m.params.port as number);
      }),
    );
    assert.equal(redirected.length, 3, 'exactly the excess over capacity 5');
    assert.deepEqual(new Set(redirected), new Set([roomy.port]));
    for (const c of [...clients, ...fullClients]) c.close();
  });

  test('rolling restart of every endpoint: SDK clients receive every post, none twice', async () => {
    const dep = `roll-${randomBytes(4).toString('hex')}`;
    const ports = [await sparePort(), await sparePort()];
    const args = (port: number) => [...FAST, '--port', String(port), '--drain-window', '1000'];
    const start = (port: number) =>
      startEndpointProcess(REDIS, dep, args(port)).then((e) => ({ ...e, port }));
    const running = [await start(ports[0]!), await start(ports[1]!)];
    const feeder = await startFeederProcess(REDIS, dep);

    const clients: FilmgrainClient[] = [];
    const got = new Map<FilmgrainClient, string[]>();
    for (let i = 0; i < 6; i++) {
      const c = createClient({
        endpoints: ports.map((port) => ({ host: '127.0.0.1', port, tls: false })),
        pingIntervalMs: 300,
        backoff: { baseMs: 50, capMs: 400, factor: 2 },
      });
      got.set(c, []);
      c.on('post', (p) => got.get(c)!.push(p.tweet.id));
      clients.push(c);
      await c.connect();
      c.follow(DUNE_2);
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const list of got.values()) list.length = 0; // the backlog of earlier runs is not ours

    const published: string[] = [];
    let n = 0;
    const pump = setInterval(() => {
      const id = `roll-${dep}-${n++}`;
      published.push(id);
      feeder.write(postLine(id, `Dune: Part Two in IMAX again ${n}`));
    }, 40);
    try {
      for (let i = 0; i < 2; i++) {
        await new Promise((r) => setTimeout(r, 400));
        const old = running[i]!;
        old.proc.child.kill('SIGTERM');
        assert.equal(await old.proc.exited, 0, 'drained and exited cleanly');
        running[i] = await start(ports[i]!);
      }
      await new Promise((r) => setTimeout(r, 600));
    } finally {
      clearInterval(pump);
    }
    await until(
      () => [...got.values()].every((l) => l.length >= published.length),
      15_000,
      'every client caught up',
    );
    await new Promise((r) => setTimeout(r, 300));
    for (const [c, list] of got) {
      assert.deepEqual(list, published, 'every post, in order, none twice');
      assert.ok(c.reconnects >= 1, 'the client did move');
      await c.close();
    }
  });
});

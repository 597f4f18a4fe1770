/**
 * A compound fault the main chaos run does not produce: a client (re)connects while
 * Redis is down (say its endpoint died during the outage). The endpoint refuses each
 * `start_feed` with the retryable `internal_error` (PROTOCOL.md §8: "retry later"); the
 * SDK must ask again (jittered back-off) so the client gets its feed once Redis is back
 * — without this it stayed connected, following, and fed nothing.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import {
  MOVIES,
  PostWriter,
  RecordingClient,
  RedisServer,
  sparePort,
  startEndpoint,
  startFeeder,
} from '../../harness/chaos-rig.js';
import { killAll } from '../../harness/processes.js';
import { sleep, until } from '../../harness/until.js';

let redis: RedisServer | null = null;
let client: RecordingClient | null = null;
let writer: PostWriter | null = null;

after(async () => {
  writer?.stop();
  await client?.client.close();
  await killAll();
  await redis?.destroy();
});

it('a client that connects during a Redis outage gets its feed once Redis is back', {
  timeout: 90_000, // a few seconds idle; process starts took 20–40 s at load 35–44
}, async () => {
  redis = await RedisServer.start();
  const [feeder, ep] = await Promise.all([
    startFeeder(redis.url, 'outage'),
    startEndpoint(redis.url, 'outage', await sparePort()),
  ]);
  await redis.stop();
  const movie = MOVIES[0].id;
  client = new RecordingClient('outage', [{ port: ep.port }], [movie], {
    pingIntervalMs: 300,
    deadAfterMs: 1000,
  });
  const refused = client.client.once('error', (e) => e.code === 'internal_error');
  await client.client.connect();
  await refused; // the endpoint could not subscribe: Redis is down
  await redis.restart();
  await sleep(1000); // endpoint and feeder reconnect (back-off capped at 2 s)
  writer = new PostWriter('o', 20);
  writer.feeder = feeder;
  writer.start();
  await sleep(1000);
  writer.stop();
  const want = [...writer.published].filter(([, m]) => m === movie).length;
  await until(() => (client?.posts.get(movie)?.length ?? 0) >= want, 5000, 'posts').catch(() => {});
  assert.equal(client.client.state, 'connected');
  assert.equal(client.posts.get(movie)?.length ?? 0, want, 'posts after the outage');
});

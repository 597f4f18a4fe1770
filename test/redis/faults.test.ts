/**
 * Faults (issue 4 § Faults): the redis-server this test owns is killed and restarted
 * mid-stream under a real endpoint and a real feeder; a killed endpoint's registry
 * entry expires.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  killAll,
  OPPENHEIMER,
  postLine,
  startEndpointProcess,
  startFeederProcess,
  Watcher,
} from '../../harness/processes.js';
import { RedisServer } from '../../harness/redis-servers.js';
import { until } from '../../harness/until.js';
import type { EngineStatus } from '../../src/engine/engine.js';
import { RedisEngine } from '../../src/engine/redis/engine.js';
import { RedisRegistry } from '../../src/registry/redis.js';
import { parseRedisTarget } from '../../src/store/redis/connection.js';

const opp = (i: number) => postLine(`f-${i}`, `Oppenheimer rewatch number ${i}`);
const ids = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => `f-${from + k}`);

describe('Redis faults', () => {
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start();
  });
  after(async () => {
    await killAll();
    await redis.destroy();
  });

  it('Redis killed and restarted mid-stream: clients stay, nothing lost that reached history, nothing twice', async () => {
    const deployment = 'fault1';
    const ep = await startEndpointProcess(redis.url, deployment);
    const feeder = await startFeederProcess(redis.url, deployment);
    const probe = await RedisEngine.connect(parseRedisTarget(redis.url), { deployment });
    const statuses: EngineStatus[] = [];
    probe.onStatus((s) => statuses.push(s));
    const w1 = await Watcher.open(ep.port);
    const wait: Watcher[] = [w1];
    try {
      w1.startFeed(OPPENHEIMER);
      await new Promise((r) => setTimeout(r, 300)); // the feed is subscribed
      for (let i = 0; i < 5; i++) feeder.write(opp(i));
      await until(() => w1.posts.length === 5, 15_000, 'posts before the outage');

      await redis.stop();
      for (let i = 5; i < 10; i++) feeder.write(opp(i)); // the feeder buffers these
      await until(() => statuses.includes('down'), 5000, 'status down');
      w1.client.send('ping', {});
      await until(() => w1.other.some((m) => m.action === 'pong'), 5000, 'pong during outage');
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(w1.open, 'the client connection survives the outage');
      assert.equal(w1.posts.length, 5);
      assert.ok(!w1.other.some((m) => m.action === 'error'), 'no error sent to the client');

      await redis.restart();
      await until(() => w1.posts.length >= 10, 20_000, 'buffered posts after recovery');
      await until(() => statuses.at(-1) === 'up', 10_000, 'status up');
      for (let i = 10; i < 15; i++) feeder.write(opp(i));
      await until(() => w1.posts.length >= 15, 15_000, 'posts after recovery');
      assert.ok(await w1.client.silentFor(300));
      assert.deepEqual(
        w1.posts.map((p) => p.id),
        ids(0, 15),
      );

      // Resume from a post that is in history: exactly the ones after it, no gap.
      const sinceKept = w1.posts[6]!.post_id;
      const w2 = await Watcher.open(ep.port);
      wait.push(w2);
      w2.startFeed(OPPENHEIMER, sinceKept);
      await until(() => w2.posts.length >= 8, 10_000, 'resumed posts');
      assert.deepEqual(
        w2.posts.map((p) => p.id),
        ids(7, 15),
      );
      assert.ok(w2.posts.every((p) => p.gap === undefined));

      // Resume from before the restart: that history died with the un-persisted Redis,
      // so the client is told (`gap` on the first post) and gets what history has.
      const sinceLost = w1.posts[2]!.post_id;
      const w3 = await Watcher.open(ep.port);
      wait.push(w3);
      w3.startFeed(OPPENHEIMER, sinceLost);
      await until(() => w3.posts.length >= 10, 10_000, 'resume across data loss');
      assert.deepEqual(
        w3.posts.map((p) => p.id),
        ids(5, 15),
      );
      assert.equal(w3.posts[0]!.gap, true);

      feeder.write(opp(15));
      await until(() => [w1, w2, w3].every((w) => w.posts.at(-1)?.id === 'f-15'), 10_000, 'live');
      assert.equal(ep.proc.child.exitCode, null);
      assert.equal(feeder.child.exitCode, null);
      for (const p of [ep.proc, feeder]) assert.ok(!/unhandled|uncaught/i.test(p.stderr), p.stderr);
    } finally {
      for (const w of wait) w.close();
      await probe.close();
    }
  });

  it("draining set through the registry drains the endpoint; a killed endpoint's entry expires", async () => {
    const deployment = 'fault2';
    const probe = await RedisEngine.connect(parseRedisTarget(redis.url), { deployment });
    const registry = new RedisRegistry(probe.conn, probe.keys);
    try {
      const ep = await startEndpointProcess(redis.url, deployment, [
        '--heartbeat',
        '200',
        '--public-host',
        'ep1.example.net',
        '--public-port',
        '443',
        '--max-connections',
        '5000',
      ]);
      const listed = await registry.list();
      assert.equal(listed.length, 1);
      assert.deepEqual(
        (({ id, host, port, tls, capacity, connections, draining }) => ({
          id,
          host,
          port,
          tls,
          capacity,
          connections,
          draining,
        }))(listed[0]!),
        {
          id: ep.id,
          host: 'ep1.example.net',
          port: 443,
          tls: false,
          capacity: 5000,
          connections: 0,
          draining: false,
        },
      );
      // Draining set through the registry (`filmgrain drain`): the endpoint drains (no
      // clients, so at once), withdraws its entry and exits cleanly.
      assert.equal(await registry.setDraining(ep.id, true), true);
      assert.equal(await ep.proc.exited, 0);
      assert.deepEqual(await registry.list(), []);

      const ep2 = await startEndpointProcess(redis.url, deployment, ['--heartbeat', '200']);
      assert.equal((await registry.list()).length, 1);
      await ep2.proc.kill('SIGKILL');
      const killedAt = Date.now();
      await until(
        async () => (await registry.list()).length === 0,
        5000,
        'registry entry to expire',
      );
      assert.ok(Date.now() - killedAt < 2000, 'expired within ~3 heartbeats');
      // Gone for setDraining too, at once: it judges liveness by the list's rule (the
      // index score), not by the entry hash, which outlives the score by a few ms.
      assert.equal(await registry.setDraining(ep2.id, false), false);
    } finally {
      await probe.close();
    }
  });
});

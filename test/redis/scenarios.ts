/**
 * Cross-process scenarios run on a single Redis and on a Cluster: real endpoint and
 * feeder processes joined only by Redis, real protocol clients.
 */
import assert from 'node:assert/strict';
import {
  DUNE_2,
  OPPENHEIMER,
  postLine,
  startEndpointProcess,
  startFeederProcess,
  Watcher,
} from '../../harness/processes.js';
import { until } from '../../harness/until.js';
import { RedisEngine } from '../../src/engine/redis/engine.js';
import { parseRedisTarget } from '../../src/store/redis/connection.js';

/** 20 posts naming Oppenheimer, 10 naming Dune: Part Two, interleaved. */
export function samplePosts(tag: string): { lines: string[]; oppenheimer: string[] } {
  const lines: string[] = [];
  const oppenheimer: string[] = [];
  for (let i = 0; i < 30; i++) {
    const id = `${tag}-${i}`;
    if (i % 3 === 2) lines.push(postLine(id, `Dune: Part Two in IMAX tonight (${i})`));
    else {
      lines.push(postLine(id, `just watched Oppenheimer, what a film (${i})`));
      oppenheimer.push(id);
    }
  }
  return { lines, oppenheimer };
}

const countOf = (r: { id: number; count: number }[] | undefined, id: number) =>
  r?.find((m) => m.id === id)?.count;

/** Two endpoints and one feeder: both clients see the same posts in order, same ranking. */
export async function twoEndpointsOneFeeder(
  redis: string,
  deployment: string,
  cluster = false,
): Promise<void> {
  const extra = cluster ? ['--redis-cluster'] : [];
  const [a, b] = await Promise.all([
    startEndpointProcess(redis, deployment, extra),
    startEndpointProcess(redis, deployment, extra),
  ]);
  const wa = await Watcher.open(a.port);
  const wb = await Watcher.open(b.port);
  try {
    wa.startFeed(OPPENHEIMER);
    wb.startFeed(OPPENHEIMER);
    const feeder = await startFeederProcess(redis, deployment, extra);
    const { lines, oppenheimer } = samplePosts(deployment);
    for (const l of lines) feeder.write(l);
    await until(() => wa.posts.length >= 20 && wb.posts.length >= 20, 20_000, 'posts on both');
    assert.deepEqual(
      wa.posts.map((p) => p.id),
      oppenheimer,
    );
    assert.deepEqual(wb.posts, wa.posts); // same post ids, same order
    assert.ok(wa.posts.every((p) => p.movie_id === OPPENHEIMER));
    await until(
      () =>
        countOf(wa.rankings.at(-1), OPPENHEIMER) === 20 &&
        countOf(wb.rankings.at(-1), OPPENHEIMER) === 20,
      15_000,
      'rankings',
    );
    assert.equal(countOf(wa.rankings.at(-1), DUNE_2), 10);
    assert.deepEqual(wb.rankings.at(-1), wa.rankings.at(-1));
    assert.ok(await wa.client.silentFor(200)); // nothing extra (no duplicates)
    assert.equal(wa.posts.length, 20);
  } finally {
    wa.close();
    wb.close();
  }
}

/** Two feeders fed the same posts: counts equal one feeder's, each post once live. */
export async function twoFeedersOneStream(
  redis: string,
  deployment: string,
  cluster = false,
): Promise<void> {
  const extra = cluster ? ['--redis-cluster'] : [];
  const ep = await startEndpointProcess(redis, deployment, extra);
  const w = await Watcher.open(ep.port);
  const engine = await RedisEngine.connect(parseRedisTarget(redis, cluster), { deployment });
  try {
    w.startFeed(OPPENHEIMER);
    const [f1, f2] = await Promise.all([
      startFeederProcess(redis, deployment, extra),
      startFeederProcess(redis, deployment, extra),
    ]);
    const { lines } = samplePosts(deployment);
    for (const l of lines) {
      f1.write(l);
      f2.write(l);
    }
    await until(() => w.posts.length >= 20, 20_000, 'posts');
    await until(
      async () => {
        const counts = await engine.counts(Date.now());
        return counts.get(OPPENHEIMER) === 20 && counts.get(DUNE_2) === 10;
      },
      15_000,
      'counts',
    );
    assert.ok(await w.client.silentFor(300));
    assert.equal(w.posts.length, 20);
    assert.equal(new Set(w.posts.map((p) => p.id)).size, 20);
    const c = await engine.counts(Date.now());
    assert.deepEqual([c.get(OPPENHEIMER), c.get(DUNE_2)], [20, 10]);
  } finally {
    w.close();
    await engine.close();
  }
}

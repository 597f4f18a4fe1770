/**
 * Issue 4, "How it is checked": real `filmgrain endpoint` and `filmgrain feeder`
 * processes on one redis-server (started here on a spare port).
 */

import { after, before, describe, it } from 'node:test';
import { killAll, startCli, Watcher } from '../../harness/processes.js';
import { RedisServer } from '../../harness/redis-servers.js';
import { until } from '../../harness/until.js';
import { twoEndpointsOneFeeder, twoFeedersOneStream } from './scenarios.js';

describe('separate processes on one Redis', () => {
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start();
  });
  after(async () => {
    await killAll();
    await redis.destroy();
  });

  it('two endpoints and a feeder: same posts in the same order, same ranking', async () => {
    await twoEndpointsOneFeeder(redis.url, 'xp1');
  });

  it('two feeders on one stream count like one', async () => {
    await twoFeedersOneStream(redis.url, 'xp2');
  });

  it('filmgrain start --redis runs the all-in-one on Redis', async () => {
    const start = startCli([
      'start',
      '--redis',
      redis.url,
      '--deployment',
      'xp3',
      '--port',
      '0',
      '--plain',
      '--rate',
      '200',
      '--log-level',
      'info',
    ]);
    await start.waitFor(/engine\s+redis/);
    const port = Number((await start.waitFor(/endpoint\s+tcp:\/\/127\.0\.0\.1:(\d+)/))[1]);
    const w = await Watcher.open(port);
    try {
      // `connect` is answered at once, with an empty list if the first ranking is not
      // computed yet (PROTOCOL.md); the real one is pushed as soon as it exists.
      await until(() => (w.rankings.at(-1)?.length ?? 0) > 0, 10_000, 'a ranking');
      // Follow a movie that is being posted about: the very first ranking can come
      // before any count (every movie at 0, ordered by title), and its #1 is then any
      // film, possibly one the synthetic stream seldom names.
      await until(() => (w.rankings.at(-1)?.[0]?.count ?? 0) > 0, 15_000, 'a ranking with counts');
      w.startFeed(w.rankings.at(-1)![0]!.id);
      await until(() => w.posts.length > 0, 10_000, 'a post');
    } finally {
      w.close();
      await start.kill('SIGTERM');
    }
  });
});

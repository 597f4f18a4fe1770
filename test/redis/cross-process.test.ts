/**
 * Issue 4, "How it is checked": real `filmgrain endpoint` and `filmgrain feeder`
 * processes on one redis-server (started here on a spare port).
 */
import { after, before, describe, it } from 'node:test';
import { killAll } from './processes.js';
import { twoEndpointsOneFeeder, twoFeedersOneStream } from './scenarios.js';
import { RedisServer } from './servers.js';

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
});

/**
 * The cross-process checks on a three-master Redis Cluster created here
 * (`redis-server --cluster-enabled yes` ×3 + `redis-cli --cluster create`): sharded
 * pub/sub per movie, hash-tagged keys, MOVED handled by node-redis.
 */
import { after, before, describe, it } from 'node:test';
import { killAll } from '../../harness/processes.js';
import { RedisCluster } from '../../harness/redis-servers.js';
import { twoEndpointsOneFeeder, twoFeedersOneStream } from './scenarios.js';

describe('separate processes on a 3-master Redis Cluster', () => {
  let cluster: RedisCluster;
  before(async () => {
    cluster = await RedisCluster.start(3);
  });
  after(async () => {
    await killAll();
    await cluster.destroy();
  });

  it('two endpoints and a feeder: same posts in the same order, same ranking', async () => {
    await twoEndpointsOneFeeder(cluster.url, 'xc1');
  });

  it('two feeders on one stream count like one', async () => {
    await twoFeedersOneStream(cluster.url, 'xc2');
  });

  it('any one node is enough to find the cluster (MOVED/redirects handled)', async () => {
    // One seed URL + --redis-cluster: node-redis discovers the others from it.
    await twoEndpointsOneFeeder(cluster.nodes[1]!.url, 'xc3', true);
  });
});

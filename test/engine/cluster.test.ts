/** The engine contract on a three-master Redis Cluster this test creates. */
import { RedisCluster } from '../../harness/redis-servers.js';
import { engineContract } from './contract.js';
import { redisFactory } from './redis-factory.js';

engineContract(
  'redis cluster (3 masters)',
  redisFactory(() => RedisCluster.start(3)),
);

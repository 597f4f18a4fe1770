/** The engine contract on a three-master Redis Cluster this test creates. */
import { parseRedisTarget } from '../../src/engine/redis/connection.js';
import { RedisEngine } from '../../src/engine/redis/engine.js';
import { RedisCluster } from '../redis/servers.js';
import { engineContract } from './contract.js';

let cluster: RedisCluster | undefined;
let n = 0;

engineContract('redis cluster (3 masters)', {
  async setup() {
    cluster = await RedisCluster.start(3);
  },
  async teardown() {
    await cluster?.destroy();
  },
  async open(options) {
    const target = parseRedisTarget(cluster!.url);
    const deployment = `contract${++n}`;
    const a = await RedisEngine.connect(target, { ...options, deployment });
    const b = await RedisEngine.connect(target, { ...options, deployment });
    return {
      a,
      b,
      async close() {
        await a.close();
        await b.close();
      },
    };
  },
});

/** The engine contract on a single redis-server this test starts on a spare port. */
import { parseRedisTarget } from '../../src/engine/redis/connection.js';
import { RedisEngine } from '../../src/engine/redis/engine.js';
import { RedisServer } from '../redis/servers.js';
import { engineContract } from './contract.js';

let server: RedisServer | undefined;
let n = 0;

engineContract('redis', {
  async setup() {
    server = await RedisServer.start();
  },
  async teardown() {
    await server?.destroy();
  },
  async open(options) {
    const target = parseRedisTarget(server!.url);
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

/**
 * The engine-contract factory for any Redis: two engines (two "processes") on one
 * deployment of the store at `url()`, a fresh deployment per test so tests never share
 * keys. Used by the single-node and the cluster suites.
 */

import { RedisEngine } from '../../src/engine/redis/engine.js';
import { parseRedisTarget } from '../../src/store/redis/connection.js';
import type { EngineFactory } from './contract.js';

interface Store {
  url: string;
  destroy(): Promise<void>;
}

export function redisFactory(start: () => Promise<Store>): EngineFactory {
  let store: Store | undefined;
  let n = 0;
  return {
    async setup() {
      store = await start();
    },
    async teardown() {
      await store?.destroy();
    },
    async open(options) {
      const target = parseRedisTarget(store!.url);
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
  };
}

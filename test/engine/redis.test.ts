/** The engine contract on a single redis-server this test starts on a spare port. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RedisServer } from '../../harness/redis-servers.js';
import { RedisEngine } from '../../src/engine/redis/engine.js';
import { parseRedisTarget } from '../../src/store/redis/connection.js';
import { engineContract } from './contract.js';
import { redisFactory } from './redis-factory.js';

engineContract(
  'redis',
  redisFactory(() => RedisServer.start()),
);

test('the engine reports its Redis round-trip time (for /metrics)', async () => {
  const own = await RedisServer.start();
  const engine = await RedisEngine.connect(parseRedisTarget(own.url), { deployment: 'rtt' });
  try {
    const deadline = Date.now() + 5000;
    while (engine.rttMs() === undefined && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const rtt = engine.rttMs();
    assert.ok(rtt !== undefined && rtt >= 0 && rtt < 1000, `rtt ${rtt}`);
  } finally {
    await engine.close();
    await own.destroy();
  }
});

/** The registry contract on the in-process registry and on Redis. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedisServer } from '../../harness/redis-servers.js';
import { RedisEngine } from '../../src/engine/redis/engine.js';
import { MemoryRegistry } from '../../src/registry/memory.js';
import { RedisRegistry } from '../../src/registry/redis.js';
import type { EndpointRecord, Registry } from '../../src/registry/registry.js';
import { parseRedisTarget } from '../../src/store/redis/connection.js';

function contract(name: string, make: () => Promise<Registry>) {
  describe(`registry contract: ${name}`, () => {
    it('lists announced endpoints with load; withdraw removes; draining survives heartbeats', async () => {
      const r = await make();
      let connections = 7;
      const flips: boolean[] = [];
      const reg = await r.register(
        { id: 'ep-a', host: 'a.example', port: 4747, tls: true, capacity: 100 },
        () => ({ connections }),
        { intervalMs: 10_000, onDraining: (d) => flips.push(d) },
      );
      await r.register(
        { id: 'ep-b', host: 'b.example', port: 4748, tls: false, capacity: 0 },
        () => ({ connections: 0 }),
        { intervalMs: 10_000 },
      );
      const seen: EndpointRecord[][] = [];
      const stop = r.watch((l) => seen.push(l), 50);
      const list = await r.list();
      assert.deepEqual(
        list.map((e) => [e.id, e.host, e.port, e.tls, e.capacity, e.connections, e.draining]),
        [
          ['ep-a', 'a.example', 4747, true, 100, 7, false],
          ['ep-b', 'b.example', 4748, false, 0, 0, false],
        ],
      );
      connections = 9;
      assert.equal(await r.setDraining('ep-a', true), true);
      await reg.beat();
      assert.equal(reg.draining, true);
      assert.deepEqual(flips, [true]);
      const a = (await r.list())[0]!;
      assert.deepEqual([a.connections, a.draining], [9, true]);
      await reg.withdraw();
      assert.deepEqual(
        (await r.list()).map((e) => e.id),
        ['ep-b'],
      );
      assert.equal(await r.setDraining('nope', true), false);
      const deadline = Date.now() + 3000;
      while (seen.at(-1)?.length !== 1 && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 20));
      stop();
      assert.deepEqual(
        seen.at(-1)?.map((e) => e.id),
        ['ep-b'],
      );
    });
  });
}

contract('memory', async () => new MemoryRegistry());

let server: RedisServer | undefined;
const engines: RedisEngine[] = [];
let n = 0;
before(async () => {
  server = await RedisServer.start();
});
after(async () => {
  for (const e of engines) await e.close();
  await server?.destroy();
});
contract('redis', async () => {
  const e = await RedisEngine.connect(parseRedisTarget(server!.url), { deployment: `reg${++n}` });
  engines.push(e);
  return new RedisRegistry(e.conn, e.keys);
});

/**
 * Rough measure of the Redis hop: post → client latency (p50/p99) and deliveries per
 * second with the in-process engine and with Redis, same process, same load.
 *   node --import tsx test/redis/hop-bench.ts [redis://127.0.0.1:6379] [clients] [posts/s] [seconds]
 * One endpoint (plain TCP), `clients` raw clients watching one movie, posts ingested in
 * 10 ms batches (the feeder default is 50 ms; latency here starts at the ingest call).
 */
import { performance } from 'node:perf_hooks';
import { LineClient } from '../../harness/line-client.js';
import { Endpoint } from '../../src/endpoint/endpoint.js';
import { listen } from '../../src/endpoint/listener.js';
import type { Engine, IngestPost } from '../../src/engine/engine.js';
import { MemoryEngine } from '../../src/engine/memory.js';
import { RedisEngine } from '../../src/engine/redis/engine.js';
import { parseRedisTarget } from '../../src/store/redis/connection.js';

const [url = 'redis://127.0.0.1:6379', clientsArg = '50', rateArg = '500', secondsArg = '5'] =
  process.argv.slice(2);
const CLIENTS = Number(clientsArg);
const RATE = Number(rateArg);
const SECONDS = Number(secondsArg);

async function run(name: string, engine: Engine) {
  await engine.setRanking({
    generatedAt: Date.now(),
    movies: [{ id: 1, title: 'Bench', count: 0, rank: 1 }],
  });
  const endpoint = new Endpoint(engine, { maxConnectionsPerIp: 0, messagesPerSecond: 1000 });
  const listener = await listen(endpoint, { host: '127.0.0.1', port: 0 });
  const latencies: number[] = [];
  const clients: LineClient[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const c = await LineClient.connect({ port: listener.port });
    c.send('connect', {});
    c.send('start_feed', { movie_id: 1 });
    c.socket.on('data', (chunk: Buffer | string) => {
      const now = performance.now();
      for (const m of String(chunk).matchAll(/"text":"sent (\d+\.\d+)"/g))
        latencies.push(now - Number(m[1]));
    });
    clients.push(c);
  }
  await new Promise((r) => setTimeout(r, 500));
  latencies.length = 0;
  let serial = 0;
  const perBatch = Math.max(1, Math.round(RATE / 100));
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    const batch: IngestPost[] = [];
    for (let i = 0; i < perBatch; i++) {
      serial++;
      batch.push({
        tweet: {
          id: `${name}-${serial}-${Date.now()}`,
          text: `sent ${performance.now().toFixed(3)}`,
          user: { id: `u${serial}`, name: 'u' },
          created_at: new Date().toISOString(),
          source: 'synthetic',
        },
        movieIds: [1],
        at: Date.now(),
      });
    }
    await engine.ingest(batch);
    await new Promise((r) => setTimeout(r, 10));
  }
  const elapsed = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 500));
  for (const c of clients) c.close();
  await endpoint.close();
  await listener.close();
  if (engine instanceof RedisEngine) {
    // Leave nothing behind on a shared Redis (the counts keys expire by themselves).
    const k = engine.keys;
    await engine.conn.send(k.history(1), false, ['DEL', k.history(1), k.trimmed(1)]);
    await engine.conn.send(k.ranking, false, ['DEL', k.ranking]);
  }
  await engine.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return {
    engine: name,
    posts: serial,
    deliveries: latencies.length,
    deliveriesPerSec: Math.round(latencies.length / elapsed),
    p50ms: Number(q(0.5).toFixed(2)),
    p99ms: Number(q(0.99).toFixed(2)),
  };
}

const memory = await run('memory', new MemoryEngine());
const redis = await run(
  'redis',
  await RedisEngine.connect(parseRedisTarget(url), { deployment: `hop${process.pid}` }),
);
console.table([memory, redis]);
console.log(
  `redis/memory: p50 ×${(redis.p50ms / memory.p50ms).toFixed(1)}, p99 ×${(redis.p99ms / memory.p99ms).toFixed(1)}`,
);

/**
 * Chooses the engine of a process: in-process by default, Redis with `--redis URL`
 * (one node, or comma-separated Cluster nodes, or `--redis-cluster`). Also builds the
 * matching endpoint registry. Benchmarks call `createEngine({ redis: url }, log)` too.
 */
import type { Engine } from '../engine/engine.js';
import { MemoryEngine } from '../engine/memory.js';
import { RedisEngine } from '../engine/redis/engine.js';
import { MemoryRegistry } from '../registry/memory.js';
import { RedisRegistry } from '../registry/redis.js';
import type { Registry } from '../registry/registry.js';
import { parseRedisTarget } from '../store/redis/connection.js';
import { DEFAULT_DEPLOYMENT } from '../store/redis/keys.js';
import type { Logger } from './log.js';
import { redactUrl, waitForRedis } from './redis-wait.js';

export { STORE_OPTIONS } from '../store/options.js';

export interface EngineFlags {
  redis?: string | undefined;
  redisCluster?: boolean | undefined;
  deployment?: string | undefined;
  /** Give up when Redis does not answer within this long at start, ms (0 = never). */
  redisConnectTimeoutMs?: number | undefined;
}

async function createEngine(flags: EngineFlags, log: Logger): Promise<Engine> {
  if (flags.redis === undefined) return new MemoryEngine();
  const target = parseRedisTarget(flags.redis, flags.redisCluster ?? false);
  const shown = target.urls.map(redactUrl);
  await waitForRedis(target, log, { timeoutMs: flags.redisConnectTimeoutMs ?? 0 });
  // Redis answered a PING a moment ago; should the engine's own connect still hang
  // (a Cluster whose slots are not all served), say so instead of waiting silently.
  const started = Date.now();
  const still = setInterval(
    () => log.warn('still connecting to redis', { redis: shown, waitedMs: Date.now() - started }),
    5000,
  );
  let engine: RedisEngine;
  try {
    engine = await RedisEngine.connect(target, {
      deployment: flags.deployment ?? DEFAULT_DEPLOYMENT,
    });
  } finally {
    clearInterval(still);
  }
  engine.onStatus((status) => {
    if (status === 'down') log.warn('redis unreachable; reconnecting', { redis: shown });
    else log.info('redis reachable again', { redis: shown });
  });
  log.info('engine connected', { redis: shown, cluster: target.cluster });
  return engine;
}

/** What a command runs on: the engine and the endpoint registry, on one store. */
export interface Store {
  engine: Engine;
  registry: Registry;
}

/**
 * The one factory of the store: the in-process engine and registry, or both on the
 * same Redis connection (the registry shares the engine's plumbing, src/store/redis/,
 * without reaching into the engine).
 */
export async function createStore(flags: EngineFlags, log: Logger): Promise<Store> {
  const engine = await createEngine(flags, log);
  return { engine, registry: createRegistry(engine) };
}

/** The endpoint registry on the same store as `engine`. */
function createRegistry(engine: Engine): Registry {
  return engine instanceof RedisEngine
    ? new RedisRegistry(engine.conn, engine.keys)
    : new MemoryRegistry();
}

/**
 * Last line of defence for long-running commands: a stray rejection or error during an
 * outage is logged, not fatal (every known path handles its own; this catches bugs).
 */
export function survive(log: Logger): void {
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { err }));
}

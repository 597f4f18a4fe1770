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
import type { FlagSpecs } from './flags.js';
import type { Logger } from './log.js';

export const ENGINE_FLAGS = {
  redis: {
    type: 'string',
    env: 'REDIS_URL',
    value: 'URL',
    help: 'run on Redis (redis://host:port, or several comma-separated cluster nodes); default: in-process',
  },
  'redis-cluster': {
    type: 'boolean',
    env: 'REDIS_CLUSTER',
    help: 'treat a single --redis URL as a Redis Cluster node (several URLs always are)',
  },
  deployment: {
    type: 'string',
    env: 'FILMGRAIN_DEPLOYMENT',
    default: DEFAULT_DEPLOYMENT,
    value: 'NAME',
    help: 'Redis key prefix fg1:NAME: — deployments sharing a Redis keep apart',
  },
} as const satisfies FlagSpecs;

export interface EngineFlags {
  redis: string | undefined;
  'redis-cluster'?: boolean;
  deployment?: string | undefined;
}

export async function createEngine(flags: EngineFlags, log: Logger): Promise<Engine> {
  if (flags.redis === undefined) return new MemoryEngine();
  const target = parseRedisTarget(flags.redis, flags['redis-cluster'] ?? false);
  const engine = await RedisEngine.connect(target, {
    deployment: flags.deployment ?? DEFAULT_DEPLOYMENT,
  });
  engine.onStatus((status) => {
    if (status === 'down') log.warn('redis unreachable; reconnecting', { redis: target.urls });
    else log.info('redis reachable again', { redis: target.urls });
  });
  log.info('engine connected', { redis: target.urls, cluster: target.cluster });
  return engine;
}

/** The endpoint registry on the same store as `engine`. */
export function createRegistry(engine: Engine): Registry {
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

/** Chooses the engine of a process: in-process by default, Redis with `--redis URL`. */
import type { Engine } from '../engine/engine.js';
import { MemoryEngine } from '../engine/memory.js';
import type { FlagSpecs } from './flags.js';
import type { Logger } from './log.js';

export const ENGINE_FLAGS = {
  redis: {
    type: 'string',
    env: 'REDIS_URL',
    value: 'URL',
    help: 'run on Redis (redis://host:port, or several comma-separated cluster nodes); default: in-process',
  },
} as const satisfies FlagSpecs;

export async function createEngine(
  flags: { redis: string | undefined },
  log: Logger,
): Promise<Engine> {
  if (flags.redis === undefined) return new MemoryEngine();
  log.error('the Redis engine is not built yet', { redis: flags.redis });
  throw new Error('--redis is not supported yet');
}

/**
 * `filmgrain feeder --redis URL`: the feeder alone — source → match → count + publish
 * into Redis, ranking published every second. Run any number: they dedupe each other.
 */
import { ADMIN_FLAGS, runAdmin } from '../admin-runtime.js';
import type { Command } from '../command.js';
import { createEngine, ENGINE_FLAGS, survive } from '../engine-runtime.js';
import { FEEDER_FLAGS, runFeeder } from '../feeder-runtime.js';
import { parseFlags } from '../flags.js';
import { commandLogger, LOG_FLAGS } from '../log.js';
import { untilSignal } from '../signals.js';

const FLAGS = {
  ...FEEDER_FLAGS,
  ...ENGINE_FLAGS,
  ...ADMIN_FLAGS,
  ...LOG_FLAGS,
} as const;

export const command: Command = {
  summary: 'run a feeder on Redis (source → match → counts, history, live posts, ranking)',
  async run(argv) {
    const flags = parseFlags(argv, FLAGS, 'usage: filmgrain feeder --redis URL [options]');
    if (flags === null) return 0;
    if (flags.redis === undefined)
      throw new Error('filmgrain feeder needs --redis URL (or REDIS_URL)');
    const log = commandLogger(flags['log-level'], 'feeder');
    survive(log);
    const engine = await createEngine(flags, log);
    const feeder = await runFeeder(engine, flags, log);
    const admin = await runAdmin(flags, { feeder, engine }, log);
    console.log(
      `filmgrain feeder running: ${flags.source ?? 'synthetic'} source, ${feeder.catalog.movies.length} movies, redis ${flags.redis}`,
    );
    const signal = await untilSignal(['SIGINT', 'SIGTERM']);
    log.info('shutting down', { signal });
    await feeder.stop();
    await admin?.close();
    await engine.close();
    return 0;
  },
};

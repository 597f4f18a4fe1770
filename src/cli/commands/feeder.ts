/**
 * `filmgrain feeder --redis URL`: the feeder alone — source → match → count + publish
 * into Redis, ranking published every second. Run any number: they dedupe each other.
 */
import { ADMIN_OPTIONS, runAdmin } from '../admin-runtime.js';
import type { Command } from '../command.js';
import { createStore, STORE_OPTIONS, survive } from '../engine-runtime.js';
import { FEEDER_GROUPS, runFeeder } from '../feeder-runtime.js';
import { parseCommand, UsageError } from '../flags.js';
import { commandLogger, LOG_OPTIONS } from '../log.js';
import { redactUrl } from '../redis-wait.js';
import { untilSignal } from '../signals.js';

const OPTIONS = {
  ...FEEDER_GROUPS,
  engine: STORE_OPTIONS,
  admin: ADMIN_OPTIONS,
  log: LOG_OPTIONS,
} as const;

export const command: Command = {
  summary: 'run a feeder on Redis (source → match → counts, history, live posts, ranking)',
  async run(argv) {
    const flags = parseCommand(argv, OPTIONS, 'usage: filmgrain feeder --redis URL [options]');
    if (flags === null) return 0;
    const redis = flags.engine.redis;
    if (redis === undefined)
      throw new UsageError('filmgrain feeder needs --redis URL (or REDIS_URL)');
    const log = commandLogger(flags.log.level, 'feeder');
    survive(log);
    const { engine } = await createStore(flags.engine, log);
    const feeder = await runFeeder(engine, flags, log);
    const admin = await runAdmin(flags.admin, { feeder, engine }, log);
    console.log(
      `filmgrain feeder running: ${feeder.source.name} source, ${feeder.catalog.movies.length} movies, redis ${redis.split(',').map(redactUrl).join(',')}`,
    );
    const signal = await untilSignal(['SIGINT', 'SIGTERM']);
    log.info('shutting down', { signal });
    await feeder.stop();
    await admin?.close();
    await engine.close();
    return 0;
  },
};

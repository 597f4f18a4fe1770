/**
 * `filmgrain directory --redis URL`: keeps endpoints.json current from the registry and
 * publishes it to S3 (or any S3-compatible store) and/or a local file. Several may run
 * for availability: their writes are idempotent (see discovery/directory.ts).
 */
import { Directory } from '../../discovery/directory.js';
import { DIRECTORY_OPTIONS, PUBLISH_OPTIONS } from '../../discovery/options.js';
import { FilePublisher, type Publisher, S3Publisher } from '../../discovery/publish.js';
import { defaultsOf } from '../../options/declare.js';
import type { Command } from '../command.js';
import { createStore, STORE_OPTIONS, survive } from '../engine-runtime.js';
import { parseCommand, UsageError } from '../flags.js';
import { commandLogger, LOG_OPTIONS } from '../log.js';
import { untilSignal } from '../signals.js';

const OPTIONS = {
  engine: STORE_OPTIONS,
  publish: PUBLISH_OPTIONS,
  directory: DIRECTORY_OPTIONS,
  log: LOG_OPTIONS,
} as const;

export const command: Command = {
  summary: 'publish endpoints.json (S3 and/or a file) from the endpoint registry',
  async run(argv) {
    const flags = parseCommand(
      argv,
      OPTIONS,
      'usage: filmgrain directory --redis URL (--s3-bucket NAME | --out FILE) [options]',
    );
    if (flags === null) return 0;
    if (flags.engine.redis === undefined)
      throw new UsageError('filmgrain directory needs --redis URL (or REDIS_URL)');
    const log = commandLogger(flags.log.level, 'directory');
    survive(log);
    const p = { ...defaultsOf(PUBLISH_OPTIONS), ...flags.publish };
    const publishers: Publisher[] = [];
    if (p.s3Bucket !== undefined)
      publishers.push(
        new S3Publisher({
          bucket: p.s3Bucket,
          key: p.s3Key,
          ...(p.s3Region ? { region: p.s3Region } : {}),
          ...(p.s3Endpoint ? { endpoint: p.s3Endpoint } : {}),
        }),
      );
    if (p.out !== undefined) publishers.push(new FilePublisher(p.out));
    if (publishers.length === 0) throw new UsageError('give --s3-bucket NAME and/or --out FILE');
    const { engine, registry } = await createStore(flags.engine, log);
    const directory = new Directory(registry, publishers, {
      ...flags.directory,
      onPublish: (file, target) =>
        log.info('published', { target, endpoints: file.endpoints.map((e) => e.id) }),
      onError: (err, target) => log.warn('publish failed; retrying', { target, err }),
    });
    directory.start();
    console.log(`filmgrain directory publishing to ${publishers.map((p) => p.target).join(', ')}`);
    await untilSignal(['SIGINT', 'SIGTERM']);
    directory.stop();
    await engine.close();
    return 0;
  },
};

/**
 * `filmgrain directory --redis URL`: keeps endpoints.json current from the registry and
 * publishes it to S3 (or any S3-compatible store) and/or a local file. Several may run
 * for availability: their writes are idempotent (see discovery/directory.ts).
 */
import { Directory } from '../../discovery/directory.js';
import { FilePublisher, type Publisher, S3Publisher } from '../../discovery/publish.js';
import type { Command } from '../command.js';
import { createEngine, createRegistry, ENGINE_FLAGS, survive } from '../engine-runtime.js';
import { intFlag, parseFlags } from '../flags.js';
import { commandLogger, LOG_FLAGS } from '../log.js';
import { untilSignal } from '../signals.js';

const FLAGS = {
  ...ENGINE_FLAGS,
  's3-bucket': {
    type: 'string',
    env: 'FILMGRAIN_S3_BUCKET',
    value: 'NAME',
    help: 'publish to this S3 bucket',
  },
  's3-key': {
    type: 'string',
    env: 'FILMGRAIN_S3_KEY',
    default: 'endpoints.json',
    value: 'KEY',
    help: 'object key',
  },
  's3-region': {
    type: 'string',
    env: 'AWS_REGION',
    value: 'REGION',
    help: 'bucket region (default us-east-1)',
  },
  's3-endpoint': {
    type: 'string',
    env: 'FILMGRAIN_S3_ENDPOINT',
    value: 'URL',
    help: 'S3-compatible store URL (MinIO, R2, …); credentials from the standard AWS environment',
  },
  out: {
    type: 'string',
    env: 'FILMGRAIN_DIRECTORY_OUT',
    value: 'FILE',
    help: 'also write the file here (atomic rename)',
  },
  'poll-ms': {
    type: 'string',
    env: 'FILMGRAIN_DIRECTORY_POLL_MS',
    default: '1000',
    value: 'MS',
    help: 'how often the registry is read',
  },
  'refresh-ms': {
    type: 'string',
    env: 'FILMGRAIN_DIRECTORY_REFRESH_MS',
    default: '30000',
    value: 'MS',
    help: 'rewrite at least this often (fresh load figures)',
  },
  ...LOG_FLAGS,
} as const;

export const command: Command = {
  summary: 'publish endpoints.json (S3 and/or a file) from the endpoint registry',
  async run(argv) {
    const flags = parseFlags(
      argv,
      FLAGS,
      'usage: filmgrain directory --redis URL (--s3-bucket NAME | --out FILE) [options]',
    );
    if (flags === null) return 0;
    if (flags.redis === undefined)
      throw new Error('filmgrain directory needs --redis URL (or REDIS_URL)');
    const log = commandLogger(flags['log-level'], 'directory');
    survive(log);
    const publishers: Publisher[] = [];
    if (flags['s3-bucket'] !== undefined)
      publishers.push(
        new S3Publisher({
          bucket: flags['s3-bucket'],
          key: flags['s3-key'] ?? 'endpoints.json',
          ...(flags['s3-region'] ? { region: flags['s3-region'] } : {}),
          ...(flags['s3-endpoint'] ? { endpoint: flags['s3-endpoint'] } : {}),
        }),
      );
    if (flags.out !== undefined) publishers.push(new FilePublisher(flags.out));
    if (publishers.length === 0) throw new Error('give --s3-bucket NAME and/or --out FILE');
    const engine = await createEngine(flags, log);
    const directory = new Directory(createRegistry(engine), publishers, {
      pollMs: intFlag('poll-ms', flags['poll-ms'], 1000),
      refreshMs: intFlag('refresh-ms', flags['refresh-ms'], 30_000),
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

/**
 * `filmgrain start`: feeder, engine and endpoint in one process — the zero-setup way
 * to run Filmgrain. Ctrl-C (SIGINT) or SIGTERM shuts down cleanly: the source stops,
 * buffered posts are flushed, clients get `shutting_down`, sockets close.
 */
import { ADMIN_FLAGS, runAdmin } from '../admin-runtime.js';
import type { Command } from '../command.js';
import { DEFAULT_PORT, ENDPOINT_FLAGS, runEndpoint } from '../endpoint-runtime.js';
import { createEngine, ENGINE_FLAGS } from '../engine-runtime.js';
import { FEEDER_FLAGS, runFeeder } from '../feeder-runtime.js';
import { parseFlags } from '../flags.js';
import { createLogger, isLogLevel } from '../log.js';
import { untilSignal } from '../signals.js';

const FLAGS = {
  ...ENDPOINT_FLAGS,
  ...FEEDER_FLAGS,
  ...ENGINE_FLAGS,
  ...ADMIN_FLAGS,
  'log-level': {
    type: 'string',
    env: 'FILMGRAIN_LOG_LEVEL',
    default: 'warn',
    value: 'LEVEL',
    help: 'debug | info | warn | error (JSON lines on stderr)',
  },
} as const;

export const command: Command = {
  summary: 'run feeder, engine and endpoint in one process (the embedded default)',
  async run(argv) {
    const flags = parseFlags(argv, FLAGS, 'usage: filmgrain start [options]');
    if (flags === null) return 0;
    const level = flags['log-level'] ?? 'warn';
    if (!isLogLevel(level)) throw new Error(`--log-level must be debug, info, warn or error`);
    const log = createLogger(level, 'start');
    const engine = await createEngine(flags, log);
    const endpoint = await runEndpoint(engine, flags, log);
    const feeder = await runFeeder(engine, flags, log);
    const admin = await runAdmin(flags, { endpoint, feeder, engine }, log);
    const { host, port, tls } = endpoint.listener;
    const watch = [
      'npx filmgrain watch',
      host === '127.0.0.1' ? '' : `--host ${host}`,
      port === DEFAULT_PORT ? '' : `--port ${port}`,
      tls ? (endpoint.caPath ? `--ca ${endpoint.caPath}` : '') : '--plain',
    ]
      .filter(Boolean)
      .join(' ');
    console.log(
      [
        'Filmgrain is running.',
        `  endpoint  ${tls ? 'tls' : 'tcp'}://${host}:${port}${endpoint.caPath ? `  (development certificate ${endpoint.caPath})` : ''}`,
        `  engine    ${engine.kind === 'memory' ? 'in-process' : 'redis'}`,
        `  feeder    ${flags.source ?? 'synthetic'} source, ${feeder.catalog.movies.length} movies`,
        ...(admin === undefined
          ? []
          : [`  admin     http://${flags['admin-host']}:${admin.port}/metrics`]),
        '',
        'Watch it from another terminal:',
        `  ${watch}`,
        '',
        'Ctrl-C stops.',
      ].join('\n'),
    );
    const signal = await untilSignal(['SIGINT', 'SIGTERM']);
    log.info('shutting down', { signal });
    await admin?.close();
    await feeder.stop();
    await endpoint.stop();
    await engine.close();
    console.log('Filmgrain stopped.');
    return 0;
  },
};

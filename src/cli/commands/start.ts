/**
 * `filmgrain start`: feeder, engine and endpoint in one process — the zero-setup way
 * to run Filmgrain. Ctrl-C (SIGINT) or SIGTERM shuts down cleanly: the source stops,
 * buffered posts are flushed, clients get `shutting_down`, sockets close.
 *
 * It also registers its endpoint (in-process registry, or Redis with `--redis`) and
 * serves endpoints.json over HTTP (`--directory-port`), so clients can use discovery in
 * development exactly as in production.
 */

import { Directory } from '../../discovery/directory.js';
import { serveEndpointsFile } from '../../discovery/http-server.js';
import { ADMIN_FLAGS, runAdmin } from '../admin-runtime.js';
import type { Command } from '../command.js';
import { DEFAULT_PORT, ENDPOINT_FLAGS, runEndpoint } from '../endpoint-runtime.js';
import { createEngine, createRegistry, ENGINE_FLAGS } from '../engine-runtime.js';
import { FEEDER_FLAGS, runFeeder } from '../feeder-runtime.js';
import { intFlag, parseFlags } from '../flags.js';
import { commandLogger, LOG_FLAGS } from '../log.js';
import { untilSignal } from '../signals.js';

const FLAGS = {
  ...ENDPOINT_FLAGS,
  ...FEEDER_FLAGS,
  ...ENGINE_FLAGS,
  ...ADMIN_FLAGS,
  'directory-port': {
    type: 'string',
    env: 'FILMGRAIN_DIRECTORY_PORT',
    value: 'N',
    help: 'serve endpoints.json over HTTP on this port (default: --port + 1, or any free port with --port 0)',
  },
  'no-directory': {
    type: 'boolean',
    env: 'FILMGRAIN_NO_DIRECTORY',
    help: 'do not serve endpoints.json',
  },
  ...LOG_FLAGS,
} as const;

export const command: Command = {
  summary: 'run feeder, engine and endpoint in one process (the embedded default)',
  async run(argv) {
    const flags = parseFlags(argv, FLAGS, 'usage: filmgrain start [options]');
    if (flags === null) return 0;
    const log = commandLogger(flags['log-level'], 'start');
    const engine = await createEngine(flags, log);
    const endpoint = await runEndpoint(engine, flags, log);
    const feeder = await runFeeder(engine, flags, log);
    const admin = await runAdmin(flags, { endpoint, feeder, engine }, log);
    const { host, port, tls } = endpoint.listener;
    const registry = createRegistry(engine);
    const registration = await registry.register(
      {
        id: `start-${process.pid}`,
        host,
        port,
        tls,
        capacity: endpoint.endpoint.options.maxConnections,
      },
      () => ({ connections: endpoint.endpoint.connectionCount }),
      { onError: (err) => log.warn('registry heartbeat failed; retrying', { err }) },
    );
    const directory = new Directory(registry, []);
    const served = flags['no-directory']
      ? undefined
      : await serveEndpointsFile(
          host,
          intFlag(
            'directory-port',
            flags['directory-port'],
            // Next to the endpoint's port; with --port 0 (any free port), any free one too.
            intFlag('port', flags.port, DEFAULT_PORT) === 0 ? 0 : port + 1,
          ),
          () => (directory.current === null ? null : `${JSON.stringify(directory.current)}\n`),
        );
    if (served !== undefined) directory.start();
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
        ...(served === undefined ? [] : [`  directory ${served.url}`]),
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
    // SIGHUP (the terminal closed) stops it too, unless it reloads a --cert (see
    // endpoint-runtime.ts).
    const signal = await untilSignal(
      flags.cert === undefined || flags.plain
        ? ['SIGINT', 'SIGTERM', 'SIGHUP']
        : ['SIGINT', 'SIGTERM'],
    );
    log.info('shutting down', { signal });
    directory.stop();
    await served?.close();
    await registration.withdraw().catch(() => {});
    await admin?.close();
    await feeder.stop();
    await endpoint.stop();
    await engine.close();
    console.log('Filmgrain stopped.');
    return 0;
  },
};

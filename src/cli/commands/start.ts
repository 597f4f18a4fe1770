/**
 * `filmgrain start`: feeder, engine and endpoint in one process — the zero-setup way
 * to run Filmgrain. Ctrl-C (SIGINT) or SIGTERM shuts down cleanly: the source stops,
 * buffered posts are flushed, clients get `shutting_down`, sockets close.
 *
 * It also registers its endpoint (in-process registry, or Redis with `--redis`) and
 * serves endpoints.json over HTTP (`--directory-port`), so clients can use discovery in
 * development exactly as in production, and the web app (dist/web, or `--web-dir`) at
 * `/` on the same port, so a browser finds endpoints.json on its own origin.
 */

import { Directory } from '../../discovery/directory.js';
import { serveEndpointsFile } from '../../discovery/http-server.js';
import { SERVE_OPTIONS } from '../../discovery/options.js';
import { staticSite } from '../../discovery/static-site.js';
import { ADMIN_OPTIONS, runAdmin } from '../admin-runtime.js';
import type { Command } from '../command.js';
import { DEFAULT_PORT, ENDPOINT_GROUPS, runEndpoint } from '../endpoint-runtime.js';
import { createStore, STORE_OPTIONS } from '../engine-runtime.js';
import { FEEDER_GROUPS, runFeeder } from '../feeder-runtime.js';
import { parseCommand, UsageError } from '../flags.js';
import { listenError } from '../listen-errors.js';
import { commandLogger, LOG_OPTIONS } from '../log.js';
import { untilSignal } from '../signals.js';
import { DEFAULT_WEB_DIR } from '../web-app.js';

const OPTIONS = {
  ...ENDPOINT_GROUPS,
  ...FEEDER_GROUPS,
  engine: STORE_OPTIONS,
  admin: ADMIN_OPTIONS,
  serve: SERVE_OPTIONS,
  log: LOG_OPTIONS,
} as const;

/**
 * The directory's port: given, or next to the endpoint's (`--port` + 1; any free one
 * with `--port 0`). The implicit one must not land on `--admin-port`: refused when
 * both were given, moved to a free port (and said) when it was implicit.
 */
function directoryPort(
  given: number | undefined,
  endpointFlag: number,
  endpointPort: number,
  adminPort: number | undefined,
): { port: number; note?: string } {
  if (given !== undefined) {
    if (given !== 0 && given === adminPort)
      throw new UsageError(
        `--directory-port ${given} and --admin-port ${adminPort} are the same port`,
      );
    if (given !== 0 && given === endpointPort)
      throw new UsageError(`--directory-port ${given} is the endpoint's port (--port)`);
    return { port: given };
  }
  if (endpointFlag === 0) return { port: 0 };
  const next = endpointPort + 1;
  if (next === adminPort || next > 65_535)
    return {
      port: 0,
      note: `--port + 1 (${next}) is ${next > 65_535 ? 'not a port' : 'the --admin-port'}; the directory takes a free port instead (set --directory-port to choose)`,
    };
  return { port: next };
}

export const command: Command = {
  summary: 'run feeder, engine and endpoint in one process (the embedded default)',
  async run(argv) {
    const flags = parseCommand(argv, OPTIONS, 'usage: filmgrain start [options]');
    if (flags === null) return 0;
    const log = commandLogger(flags.log.level, 'start');
    const adminPort = flags.admin.port;
    const portFlag = flags.listen.port ?? DEFAULT_PORT;
    if (adminPort !== undefined && adminPort !== 0 && adminPort === portFlag)
      throw new UsageError(`--admin-port ${adminPort} is the endpoint's port (--port)`);
    const { engine, registry } = await createStore(flags.engine, log);
    // The WebSocket transport (for the web app) sits next to the directory: --port + 2.
    const endpoint = await runEndpoint(engine, flags, log, {
      offer: true,
      port:
        portFlag === 0 || portFlag + 2 > 65_535 || portFlag + 2 === adminPort ? 0 : portFlag + 2,
      plainWithDevCertOnLoopback: true,
    });
    const feeder = await runFeeder(engine, flags, log);
    const admin = await runAdmin(flags.admin, { endpoint, feeder, engine }, log);
    const { host, port, tls } = endpoint.listener;
    const registration = await registry.register(
      {
        id: `start-${process.pid}`,
        host,
        port,
        tls,
        ...(endpoint.websocket === undefined
          ? {}
          : { websocket: flags.websocket.wsPublicUrl ?? endpoint.websocket.localUrl }),
        capacity: endpoint.endpoint.options.maxConnections,
      },
      () => ({ connections: endpoint.endpoint.connectionCount }),
      { onError: (err) => log.warn('registry heartbeat failed; retrying', { err }) },
    );
    const directory = new Directory(registry, []);
    let served: Awaited<ReturnType<typeof serveEndpointsFile>> | undefined;
    if (!flags.serve.noDirectory) {
      const chosen = directoryPort(flags.serve.directoryPort, portFlag, port, admin?.port);
      if (chosen.note !== undefined) log.warn(chosen.note);
      served = await serveEndpointsFile(
        host,
        chosen.port,
        () => (directory.current === null ? null : `${JSON.stringify(directory.current)}\n`),
        staticSite(flags.serve.webDir ?? DEFAULT_WEB_DIR),
      ).catch((err: unknown) => {
        throw listenError(
          err,
          'directory',
          host,
          chosen.port,
          '--directory-port (or --no-directory)',
        );
      });
    }
    if (served !== undefined) {
      // The web app's own page may open the WebSocket (unless --ws-origin says which may).
      if (endpoint.websocket !== undefined && flags.websocket.wsOrigin === undefined)
        for (const origin of served.origins) endpoint.websocket.origins.add(origin);
      directory.start();
    }
    const watch = [
      'npx filmgrain watch',
      host === '127.0.0.1' ? '' : `--host ${host}`,
      port === DEFAULT_PORT ? '' : `--port ${port}`,
      tls ? (endpoint.caPath ? `--ca ${endpoint.caPath}` : '') : '--plain',
    ]
      .filter(Boolean)
      .join(' ');
    // SIGHUP (the terminal closed) stops it too, unless it reloads a --cert (see
    // endpoint-runtime.ts).
    // Listening before the banner: whoever reads "Ctrl-C stops" may signal at once (a
    // loaded machine could otherwise run the reader between the print and the listening).
    const stopped = untilSignal(
      flags.listen.cert === undefined || flags.listen.plain
        ? ['SIGINT', 'SIGTERM', 'SIGHUP']
        : ['SIGINT', 'SIGTERM'],
    );
    console.log(
      [
        'Filmgrain is running.',
        `  endpoint  ${tls ? 'tls' : 'tcp'}://${host}:${port}${endpoint.caPath ? `  (development certificate ${endpoint.caPath})` : ''}`,
        `  engine    ${engine.kind === 'memory' ? 'in-process' : 'redis'}`,
        `  feeder    ${feeder.source.name} source, ${feeder.catalog.movies.length} movies`,
        ...(endpoint.websocket === undefined ? [] : [`  websocket ${endpoint.websocket.localUrl}`]),
        ...(served === undefined
          ? []
          : [`  directory ${served.url}`, `  web app   ${served.origin}`]),
        ...(admin === undefined
          ? []
          : [
              `  admin     http://${flags.admin.host ?? ADMIN_OPTIONS.host.default}:${admin.port}/metrics`,
            ]),
        '',
        'Watch it from another terminal:',
        `  ${watch}`,
        ...(served === undefined
          ? []
          : ['or open the web app in a browser:', `  ${served.origin}`]),
        '',
        'Ctrl-C stops.',
      ].join('\n'),
    );
    const signal = await stopped;
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

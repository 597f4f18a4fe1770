/**
 * `filmgrain endpoint --redis URL`: a client-facing endpoint alone. It follows Redis for
 * the movies its clients watch and the ranking, and announces itself in the endpoint
 * registry (heartbeat; the entry expires if the process dies) so discovery can list it.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ADMIN_FLAGS, runAdmin } from '../admin-runtime.js';
import type { Command } from '../command.js';
import { ENDPOINT_FLAGS, runEndpoint } from '../endpoint-runtime.js';
import { createEngine, createRegistry, ENGINE_FLAGS, survive } from '../engine-runtime.js';
import { intFlag, parseFlags } from '../flags.js';
import { createLogger, isLogLevel } from '../log.js';
import { untilSignal } from '../signals.js';

const FLAGS = {
  ...ENDPOINT_FLAGS,
  ...ENGINE_FLAGS,
  ...ADMIN_FLAGS,
  'public-host': {
    type: 'string',
    env: 'FILMGRAIN_PUBLIC_HOST',
    value: 'HOST',
    help: 'host clients should dial, as announced in the registry (default: --host, or the machine name for 0.0.0.0)',
  },
  'public-port': {
    type: 'string',
    env: 'FILMGRAIN_PUBLIC_PORT',
    value: 'N',
    help: 'port clients should dial (default: the listening port)',
  },
  'endpoint-id': {
    type: 'string',
    env: 'FILMGRAIN_ENDPOINT_ID',
    value: 'ID',
    help: 'registry id (default: <machine>-<pid>-<random>)',
  },
  heartbeat: {
    type: 'string',
    env: 'FILMGRAIN_HEARTBEAT_MS',
    default: '2000',
    value: 'MS',
    help: 'registry heartbeat period; the entry expires after 3 missed heartbeats',
  },
  'log-level': {
    type: 'string',
    env: 'FILMGRAIN_LOG_LEVEL',
    default: 'warn',
    value: 'LEVEL',
    help: 'debug | info | warn | error (JSON lines on stderr)',
  },
} as const;

export const command: Command = {
  summary: 'run an endpoint on Redis (client connections; registers itself for discovery)',
  async run(argv) {
    const flags = parseFlags(argv, FLAGS, 'usage: filmgrain endpoint --redis URL [options]');
    if (flags === null) return 0;
    if (flags.redis === undefined)
      throw new Error('filmgrain endpoint needs --redis URL (or REDIS_URL)');
    const level = flags['log-level'] ?? 'warn';
    if (!isLogLevel(level)) throw new Error(`--log-level must be debug, info, warn or error`);
    const log = createLogger(level, 'endpoint');
    survive(log);
    const heartbeatMs = intFlag('heartbeat', flags.heartbeat, 2000);
    if (heartbeatMs < 100) throw new Error('--heartbeat must be at least 100 ms');
    const engine = await createEngine(flags, log);
    const running = await runEndpoint(engine, flags, log);
    const { listener, endpoint } = running;
    const bound = listener.host;
    const publicHost =
      flags['public-host'] ?? (bound === '0.0.0.0' || bound === '::' ? hostname() : bound);
    const publicPort = intFlag('public-port', flags['public-port'], listener.port);
    const id =
      flags['endpoint-id'] ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const registry = createRegistry(engine);
    const registration = await registry.register(
      {
        id,
        host: publicHost,
        port: publicPort,
        tls: listener.tls,
        capacity: endpoint.options.maxConnections,
      },
      () => ({ connections: endpoint.connectionCount }),
      {
        intervalMs: heartbeatMs,
        onError: (err) => log.warn('registry heartbeat failed; retrying', { err }),
        onDraining: (draining) => log.info('registry draining flag changed', { draining }),
      },
    );
    const admin = await runAdmin(flags, { endpoint: running, engine }, log);
    console.log(
      `filmgrain endpoint ${id} listening on ${listener.tls ? 'tls' : 'tcp'}://${listener.host}:${listener.port} (announced as ${publicHost}:${publicPort})`,
    );
    const signal = await untilSignal(['SIGINT', 'SIGTERM']);
    log.info('shutting down', { signal });
    await registration.withdraw().catch(() => {}); // expires by itself if Redis is down
    await running.stop();
    await admin?.close();
    await engine.close();
    return 0;
  },
};

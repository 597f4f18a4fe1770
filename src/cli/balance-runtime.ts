/**
 * The load-balancing half of an endpoint process: announces it in the registry, sheds
 * load to peers with room, and drains (on SIGTERM, or when an operator sets its
 * `draining` flag with `filmgrain drain ID`). Shared by `filmgrain endpoint` and
 * `filmgrain start`.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RegistryPeers } from '../discovery/peers.js';
import { Balancer } from '../endpoint/balancer.js';
import type { Registration, Registry } from '../registry/registry.js';
import type { RunningEndpoint } from './endpoint-runtime.js';
import { type FlagSpecs, intFlag } from './flags.js';
import type { Logger } from './log.js';

export const BALANCE_FLAGS = {
  capacity: {
    type: 'string',
    env: 'FILMGRAIN_CAPACITY',
    value: 'N',
    help: 'clients this endpoint should hold; past it, clients are redirected to peers with room (default: --max-connections; 0 = no limit)',
  },
  'drain-window': {
    type: 'string',
    env: 'FILMGRAIN_DRAIN_WINDOW_MS',
    default: '30000',
    value: 'MS',
    help: 'on SIGTERM or a drain request, redirect clients evenly over this long, then exit',
  },
  'redirect-spread': {
    type: 'string',
    env: 'FILMGRAIN_REDIRECT_SPREAD_MS',
    default: '2000',
    value: 'MS',
    help: 'each redirect tells the client to wait a random 0..MS first, so crowds do not stampede',
  },
  'redirects-per-second': {
    type: 'string',
    env: 'FILMGRAIN_REDIRECTS_PER_SECOND',
    default: '100',
    value: 'N',
    help: 'clients redirected per second at most when over capacity',
  },
  'event-loop-high': {
    type: 'string',
    env: 'FILMGRAIN_EVENT_LOOP_HIGH_MS',
    default: '200',
    value: 'MS',
    help: 'event-loop delay (p99 over a second) that counts as overload and sheds clients (0 = off)',
  },
  'rss-high': {
    type: 'string',
    env: 'FILMGRAIN_RSS_HIGH_BYTES',
    default: '0',
    value: 'BYTES',
    help: 'resident memory that counts as overload and sheds clients (0 = off)',
  },
  'public-host': {
    type: 'string',
    env: 'FILMGRAIN_PUBLIC_HOST',
    value: 'HOST',
    help: 'host clients should dial, as announced for discovery (default: --host, or the machine name for 0.0.0.0)',
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
} as const satisfies FlagSpecs;

export interface BalanceFlags {
  capacity: string | undefined;
  'drain-window': string | undefined;
  'redirect-spread': string | undefined;
  'redirects-per-second': string | undefined;
  'event-loop-high': string | undefined;
  'rss-high': string | undefined;
  'public-host': string | undefined;
  'public-port': string | undefined;
  'endpoint-id': string | undefined;
  heartbeat: string | undefined;
}

export interface RunningBalancing {
  id: string;
  publicHost: string;
  publicPort: number;
  registration: Registration;
  balancer: Balancer;
  /**
   * Leaves the list, stops accepting, moves every client to peers over the drain window.
   * Resolves when none is left or the window has passed. Idempotent.
   */
  drain(): Promise<void>;
  /** Stops shedding and heartbeats and removes the registry entry. */
  stop(): Promise<void>;
}

export async function runBalancing(
  running: RunningEndpoint,
  registry: Registry,
  flags: BalanceFlags,
  log: Logger,
): Promise<RunningBalancing> {
  const { listener, endpoint } = running;
  const bound = listener.host;
  const publicHost =
    flags['public-host'] ?? (bound === '0.0.0.0' || bound === '::' ? hostname() : bound);
  const publicPort = intFlag('public-port', flags['public-port'], listener.port);
  const id =
    flags['endpoint-id'] ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const heartbeatMs = intFlag('heartbeat', flags.heartbeat, 2000);
  if (heartbeatMs < 100) throw new Error('--heartbeat must be at least 100 ms');
  const capacity = intFlag('capacity', flags.capacity, endpoint.options.maxConnections);
  const drainWindowMs = intFlag('drain-window', flags['drain-window'], 30_000);

  const peers = new RegistryPeers(registry, id, Math.random, Math.min(1000, heartbeatMs));
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const balancer = new Balancer(
    endpoint,
    peers,
    () => {
      const p99 = loopDelay.percentile(99) / 1e6;
      loopDelay.reset();
      return { eventLoopDelayMs: p99, rssBytes: process.memoryUsage.rss() };
    },
    {
      capacity,
      spreadMs: intFlag('redirect-spread', flags['redirect-spread'], 2000),
      maxRedirectsPerTick: intFlag('redirects-per-second', flags['redirects-per-second'], 100),
      eventLoopDelayHighMs: intFlag('event-loop-high', flags['event-loop-high'], 200),
      rssHighBytes: intFlag('rss-high', flags['rss-high'], 0),
    },
  );
  balancer.start();

  let draining: Promise<void> | null = null;
  const drain = (): Promise<void> => {
    draining ??= (async () => {
      log.info('draining', { id, windowMs: drainWindowMs, clients: endpoint.connectionCount });
      // Leave the list first so discovery stops sending clients here.
      await registry
        .setDraining(id, true)
        .catch((err) => log.warn('could not mark draining', { err }));
      void listener.close().catch(() => {}); // stop accepting; resolves when all are gone
      await balancer.drain(drainWindowMs);
      log.info('drained', { id, left: endpoint.connectionCount });
    })();
    return draining;
  };

  const registration = await registry.register(
    { id, host: publicHost, port: publicPort, tls: listener.tls, capacity },
    () => ({ connections: endpoint.connectionCount }),
    {
      intervalMs: heartbeatMs,
      onError: (err) => log.warn('registry heartbeat failed; retrying', { err }),
      onDraining: (flag) => {
        // An operator asked (`filmgrain drain ID`): act on it like SIGTERM.
        if (flag) void drain();
      },
    },
  );
  return {
    id,
    publicHost,
    publicPort,
    registration,
    balancer,
    drain,
    async stop() {
      balancer.stop();
      peers.stop();
      loopDelay.disable();
      await registration.withdraw().catch(() => {}); // expires by itself if the store is down
    },
  };
}

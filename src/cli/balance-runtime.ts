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
import { BALANCER_OPTIONS, Balancer } from '../endpoint/balancer.js';
import { defaultsOf } from '../options/declare.js';
import { REGISTRATION_OPTIONS, type Registration, type Registry } from '../registry/registry.js';
import { type RunningEndpoint, webSocketUrl } from './endpoint-runtime.js';
import type { ParsedGroups } from './flags.js';
import type { Logger } from './log.js';

/** The option tables the balancing half takes. */
export const BALANCE_GROUPS = {
  balancer: BALANCER_OPTIONS,
  registration: REGISTRATION_OPTIONS,
} as const;
export type BalanceConfig = ParsedGroups<typeof BALANCE_GROUPS>;

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
  /**
   * Resolves when an operator sets this endpoint's `draining` flag (`filmgrain drain ID`,
   * seen at a heartbeat); the drain itself has started by then. Never resolves otherwise.
   */
  drainRequested: Promise<void>;
  /** Stops shedding and heartbeats and removes the registry entry. */
  stop(): Promise<void>;
}

export async function runBalancing(
  running: RunningEndpoint,
  registry: Registry,
  config: BalanceConfig,
  log: Logger,
  wsPublicUrl?: string,
): Promise<RunningBalancing> {
  const { listener, endpoint } = running;
  const r = { ...defaultsOf(REGISTRATION_OPTIONS), ...config.registration };
  const bound = listener.host;
  const publicHost = r.publicHost ?? (bound === '0.0.0.0' || bound === '::' ? hostname() : bound);
  const publicPort = r.publicPort ?? listener.port;
  const id = r.id ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const heartbeatMs = r.heartbeatMs;
  // Where browsers dial this endpoint: given, or the WebSocket port at the public host.
  const ws = running.websocket;
  const websocket =
    ws === undefined
      ? undefined
      : (wsPublicUrl ?? webSocketUrl(ws.listener.tls, publicHost, ws.listener.port));
  // Capacity not given: the hard limit (so discovery's "room" matches server_full).
  const capacity = config.balancer.capacity ?? endpoint.options.maxConnections;
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
    { ...config.balancer, capacity },
  );
  const drainWindowMs = balancer.options.drainWindowMs;
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
      void running.websocket?.listener.close().catch(() => {});
      await balancer.drain(drainWindowMs);
      log.info('drained', { id, left: endpoint.connectionCount });
    })();
    return draining;
  };

  let requested: () => void = () => {};
  const drainRequested = new Promise<void>((resolve) => {
    requested = resolve;
  });
  const registration = await registry.register(
    {
      id,
      host: publicHost,
      port: publicPort,
      tls: listener.tls,
      ...(websocket === undefined ? {} : { websocket }),
      capacity,
    },
    () => ({ connections: endpoint.connectionCount }),
    {
      intervalMs: heartbeatMs,
      onError: (err) => log.warn('registry heartbeat failed; retrying', { err }),
      onDraining: (flag) => {
        // An operator asked (`filmgrain drain ID`): act on it like SIGTERM.
        if (!flag) return;
        void drain();
        requested();
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
    drainRequested,
    async stop() {
      balancer.stop();
      peers.stop();
      loopDelay.disable();
      await registration.withdraw().catch(() => {}); // expires by itself if the store is down
    },
  };
}

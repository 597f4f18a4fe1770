/**
 * Where an endpoint redirects clients: the other live endpoints of the registry that
 * take clients (not itself, not draining, not full), chosen at random weighted by free
 * room. The list follows `Registry.watch` (polled each second, woken on changes).
 */
import { type EndpointAddress, pickEndpoint } from '../protocol/index.js';
import type { EndpointRecord, Registry } from '../registry/registry.js';

export class RegistryPeers {
  private peers: EndpointRecord[] = [];
  private readonly stopWatch: () => void;

  constructor(
    registry: Registry,
    private readonly selfId: string,
    private readonly random: () => number = Math.random,
    pollMs = 1000,
  ) {
    this.stopWatch = registry.watch((list) => {
      this.peers = list;
    }, pollMs);
  }

  /** A peer with room, or undefined when there is none. */
  choose(): EndpointAddress | undefined {
    const open = this.peers.filter(
      (p) => p.id !== this.selfId && !p.draining && (p.capacity <= 0 || p.connections < p.capacity),
    );
    const chosen = pickEndpoint(open, new Set(), this.random);
    return chosen === undefined
      ? undefined
      : {
          host: chosen.host,
          port: chosen.port,
          tls: chosen.tls,
          ...(chosen.websocket === undefined ? {} : { websocket: chosen.websocket }),
        };
  }

  stop(): void {
    this.stopWatch();
  }
}

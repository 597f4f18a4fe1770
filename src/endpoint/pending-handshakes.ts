/**
 * TLS handshakes in flight, counted against the connection limits. A socket that sends
 * nothing, or half a ClientHello, holds a file descriptor without ever becoming a
 * session; before this count 1,100 of them (under the handshake rate gate) exhausted a
 * 1,024-descriptor process and locked every client out (issue 15). The deadline that
 * cuts them is the TLS server's own `handshakeTimeout` (listener.ts); this decides who
 * may start one.
 *
 * The rule (PROTOCOL.md § 7 Limits): a connection in its TLS handshake counts like an
 * established one, and a new connection is closed before TLS, without a message, when
 * the connections of its address (or of the endpoint) open or in handshake already
 * number **more than** the limit. Exactly one over the limit may complete its handshake
 * at a time, so it can be told `too_many_connections`, `server_full` or `reconnect`;
 * a limit of L therefore holds at most L + 1 descriptors per address (or endpoint).
 */
import type { LimitName } from './limit-log.js';

/** What the endpoint holds now (established sessions). */
export interface HeldConnections {
  readonly connectionCount: number;
  connectionsFrom(address: string): number;
}

export interface PendingLimits {
  /** 0 = no limit. */
  maxConnections: number;
  /** 0 = no limit. */
  maxConnectionsPerIp: number;
}

export class PendingHandshakes {
  private readonly perIp = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly limits: PendingLimits,
    private readonly held: HeldConnections,
  ) {}

  /** Handshakes in flight now. */
  get size(): number {
    return this.total;
  }

  /** Handshakes in flight from `address`. */
  from(address: string): number {
    return this.perIp.get(address) ?? 0;
  }

  /** The limit a new connection from `address` would pass, or null to let it start. */
  refuses(address: string): LimitName | null {
    const { maxConnections, maxConnectionsPerIp } = this.limits;
    if (
      maxConnectionsPerIp > 0 &&
      this.held.connectionsFrom(address) + this.from(address) > maxConnectionsPerIp
    )
      return 'max_connections_per_ip';
    if (maxConnections > 0 && this.held.connectionCount + this.total > maxConnections)
      return 'max_connections';
    return null;
  }

  /** A handshake from `address` starts. Returns its end (idempotent: completed or closed). */
  start(address: string): () => void {
    this.total++;
    this.perIp.set(address, this.from(address) + 1);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.total--;
      const n = this.from(address) - 1;
      if (n <= 0) this.perIp.delete(address);
      else this.perIp.set(address, n);
    };
  }
}

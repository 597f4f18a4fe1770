/**
 * The connection to Redis, single node or Cluster, behind one small surface: send a
 * command (routed by its first key), subscribe to sharded channels, and one status
 * funnel ('up' | 'down') fed by the client library's events.
 *
 * Library: node-redis (`@redis/client`), see ARCHITECTURE.md § "Client library".
 * Choices here, with reasons:
 * - `disableOfflineQueue`: while Redis is unreachable every command fails at once
 *   instead of queueing without bound; the feeder buffers (bounded) and retries, an
 *   endpoint answers `start_feed` with a retryable error — nothing waits forever.
 * - Reconnect with full-jitter back-off (src/retry/backoff.ts), capped at
 *   `reconnectCapMs`, forever: a restarted Redis is found again by every process
 *   without a thundering herd.
 * - Single node: a second connection for subscriptions (RESP2 would need it; with
 *   RESP3 it also keeps a slow subscriber from delaying commands). Cluster: node-redis
 *   keeps one pub/sub connection per shard and re-subscribes after MOVED/failover.
 * - Every client has an 'error' listener: an outage is a status change, never an
 *   uncaught 'error' event.
 */
import {
  createClient,
  createCluster,
  type RedisClientType,
  type RedisClusterType,
} from '@redis/client';
import { backoffDelay } from '../../retry/backoff.js';

/** Whether the store answers; the engine reports it as its own status. */
export type StoreStatus = 'up' | 'down';

export interface RedisTarget {
  /** redis:// (or rediss://) URLs: one node, or any nodes of a Cluster. */
  urls: string[];
  cluster: boolean;
}

/**
 * Reads `--redis`: one URL, or several comma-separated (then it is a Cluster).
 * `host:port` without a scheme is accepted. `cluster` forces Cluster mode for one URL.
 */
export function parseRedisTarget(spec: string, cluster = false): RedisTarget {
  const urls = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (/^rediss?:\/\//.test(s) ? s : `redis://${s}`));
  if (urls.length === 0) throw new Error('--redis needs at least one URL');
  for (const u of urls) new URL(u); // throws on a malformed URL
  return { urls, cluster: cluster || urls.length > 1 };
}

export interface RedisConnectionOptions {
  /** First reconnect window, ms. Default 100. */
  reconnectBaseMs?: number;
  /** Largest reconnect window, ms. Default 2000. */
  reconnectCapMs?: number;
  /** TCP connect timeout, ms. Default 2000. */
  connectTimeoutMs?: number;
}

/** After a Cluster recovery, the catch-up runs again this much later. */
const RECOVERY_RECHECK_MS = 1500;

export type MessageListener = (message: string, channel: string) => void;

type Client = RedisClientType;
type Cluster = RedisClusterType;

export class RedisConnection {
  private status_: StoreStatus = 'down';
  private readonly statusListeners = new Set<(s: StoreStatus) => void>();
  private readonly recoveredListeners = new Set<() => void>();
  private readonly downNodes = new Set<string>();
  private closed = false;

  private constructor(
    readonly target: RedisTarget,
    private readonly client: Client | null,
    private readonly subscriber: Client | null,
    private readonly cluster: Cluster | null,
  ) {}

  static async connect(
    target: RedisTarget,
    options: RedisConnectionOptions = {},
  ): Promise<RedisConnection> {
    const baseMs = options.reconnectBaseMs ?? 100;
    const capMs = options.reconnectCapMs ?? 2000;
    const socket = {
      connectTimeout: options.connectTimeoutMs ?? 2000,
      reconnectStrategy: (retries: number) =>
        Math.max(20, backoffDelay(retries, { baseMs, capMs })),
    };
    if (target.cluster) {
      const cluster = createCluster({
        rootNodes: target.urls.map((url) => ({ url })),
        defaults: { socket, disableOfflineQueue: true },
      }) as unknown as Cluster;
      const conn = new RedisConnection(target, null, null, cluster);
      conn.watchCluster(cluster);
      await cluster.connect();
      conn.setStatus('up');
      return conn;
    }
    const client = createClient({
      url: target.urls[0],
      socket,
      disableOfflineQueue: true,
    }) as unknown as Client;
    const subscriber = client.duplicate() as Client;
    const conn = new RedisConnection(target, client, subscriber, null);
    conn.watchClient(client, false);
    conn.watchClient(subscriber, true);
    await Promise.all([client.connect(), subscriber.connect()]);
    conn.refresh();
    return conn;
  }

  get status(): StoreStatus {
    return this.status_;
  }

  /** Sends one command; `firstKey` routes it on a Cluster. */
  send(firstKey: string | undefined, readonly: boolean, args: string[]): Promise<unknown> {
    if (this.cluster !== null) return this.cluster.sendCommand(firstKey, readonly, args);
    return this.client!.sendCommand(args);
  }

  /** Subscribes to a sharded channel (SSUBSCRIBE); resolves once active. */
  async sSubscribe(channel: string, listener: MessageListener): Promise<void> {
    if (this.cluster !== null) await this.cluster.sSubscribe(channel, listener);
    else await this.subscriber!.sSubscribe(channel, listener);
  }

  /**
   * Unsubscribes `listener` (the one given to sSubscribe). Always with the listener:
   * without one the library forgets the channel only when the reply comes, so an
   * sSubscribe sent meanwhile (a feed restarted by its only follower) joins the
   * departing subscription and is silently dropped with it; with one, the library marks
   * the channel as leaving and subscribes it afresh.
   */
  async sUnsubscribe(channel: string, listener: MessageListener): Promise<void> {
    if (this.cluster !== null) await this.cluster.sUnsubscribe(channel, listener);
    else await this.subscriber!.sUnsubscribe(channel, listener);
  }

  onStatus(listener: (s: StoreStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Called after a lost subscription connection is back and re-subscribed (the library
   * re-subscribes before it reports ready): time to read what was missed meanwhile.
   */
  onRecovered(listener: () => void): () => void {
    this.recoveredListeners.add(listener);
    return () => this.recoveredListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.statusListeners.clear();
    this.recoveredListeners.clear();
    const quit = async (c: { destroy(): void; close?: () => Promise<void> }) => {
      try {
        c.destroy();
      } catch {
        // already closed
      }
    };
    if (this.cluster !== null) await quit(this.cluster);
    if (this.client !== null) await quit(this.client);
    if (this.subscriber !== null) await quit(this.subscriber);
  }

  private watchClient(c: Client, isSubscriber: boolean): void {
    let lost = false;
    const down = () => {
      lost = true;
      this.refresh();
    };
    c.on('error', down);
    c.on('reconnecting', down);
    c.on('end', down);
    c.on('ready', () => {
      this.refresh();
      if (lost && isSubscriber) this.recovered();
      lost = false;
    });
  }

  private watchCluster(c: Cluster): void {
    const key = (info: unknown): string => {
      const i = info as { host?: string; port?: number } | undefined;
      return `${i?.host ?? '?'}:${i?.port ?? '?'}`;
    };
    // Any node lost since the last recovery. After a failover the node that was down
    // never comes back: the library drops it from the topology and moves its sharded
    // subscriptions to the promoted replica, which was never down itself. So recovery
    // is "no node down any more", whichever node reports it, not "that node is back".
    let lost = false;
    const down = (info: unknown) => {
      this.downNodes.add(key(info));
      lost = true;
      this.setStatus('down');
    };
    const healed = () => {
      if (this.downNodes.size > 0) return;
      this.setStatus('up');
      if (!lost) return;
      lost = false;
      this.recovered();
      // The library re-subscribes moved channels on its own schedule, possibly after
      // this first catch-up read: read again once it has surely settled. (A message
      // missed in between is also caught by the feeds' prev check on the next post.)
      setTimeout(() => this.recovered(), RECOVERY_RECHECK_MS).unref();
    };
    c.on('error', () => this.setStatus(this.downNodes.size === 0 ? this.status_ : 'down'));
    c.on('node-error', (_err: unknown, info: unknown) => down(info));
    c.on('node-reconnecting', down);
    c.on('node-ready', (info: unknown) => {
      this.downNodes.delete(key(info));
      healed();
    });
    c.on('node-disconnect', (info: unknown) => {
      // A node left the topology (a failover, or a close): it will not be back.
      this.downNodes.delete(key(info));
      if (!this.closed) healed();
    });
  }

  private refresh(): void {
    if (this.client === null || this.subscriber === null) return;
    this.setStatus(this.client.isReady && this.subscriber.isReady ? 'up' : 'down');
  }

  private setStatus(next: StoreStatus): void {
    if (this.closed || next === this.status_) return;
    this.status_ = next;
    for (const l of this.statusListeners) l(next);
  }

  private recovered(): void {
    if (this.closed) return;
    for (const l of this.recoveredListeners) l();
  }
}

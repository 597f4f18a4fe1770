/**
 * Where the next connection goes: a fixed list, or endpoints.json fetched from a
 * directory URL (cached for `refreshMs`; a failed fetch falls back to the cached list).
 * Endpoints that failed since the last successful connection are skipped until every
 * one has failed.
 */

import type { Clock } from '../clock/clock.js';
import type { EndpointAddress } from '../protocol/index.js';
import {
  type DiscoveredEndpoint,
  type FetchLike,
  fetchEndpoints,
  pickEndpoint,
} from './discovery.js';

export interface Pick {
  id: string;
  target: EndpointAddress;
}

export interface PickerOptions {
  fixed?: DiscoveredEndpoint[];
  directory?: string;
  refreshMs: number;
  timeoutMs: number;
  clock: Clock;
  random: () => number;
  fetch: FetchLike;
  /**
   * Which entries this client can dial (a WebSocket client needs a `websocket` URL);
   * default all.
   */
  usable?: (e: DiscoveredEndpoint) => boolean;
  /** A fetch failed but a cached list (or none) is used. */
  onDiscoveryError(err: Error): void;
}

export class EndpointPicker {
  private list: DiscoveredEndpoint[];
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private readonly failed = new Set<string>();
  private lastFailed: string | undefined;

  constructor(private readonly o: PickerOptions) {
    this.list = o.fixed ?? [];
  }

  /** Resolves with the next endpoint, or rejects when none is known. */
  async next(signal: AbortSignal): Promise<Pick> {
    const { directory } = this.o;
    const allFailed = this.list.every((e) => this.failed.has(e.id));
    if (
      directory !== undefined &&
      (allFailed || this.o.clock.now() - this.fetchedAt >= this.o.refreshMs)
    ) {
      try {
        const timeout = AbortSignal.any([signal, AbortSignal.timeout(this.o.timeoutMs)]);
        const fetched = await fetchEndpoints(directory, this.o.fetch, timeout);
        const usable = this.o.usable === undefined ? fetched : fetched.filter(this.o.usable);
        if (usable.length === 0)
          throw new Error(`${directory} lists no endpoint this client's transport can dial`);
        this.list = usable;
        this.fetchedAt = this.o.clock.now();
      } catch (err) {
        if (signal.aborted) throw err;
        this.o.onDiscoveryError(err instanceof Error ? err : new Error(String(err)));
      }
    }
    if (this.list.every((e) => this.failed.has(e.id))) {
      // Every endpoint failed: start a new round, but not with the one that just failed.
      this.failed.clear();
      if (this.lastFailed !== undefined && this.list.length > 1) this.failed.add(this.lastFailed);
    }
    const e = pickEndpoint(this.list, this.failed, this.o.random);
    if (e === undefined) throw new Error('no endpoint known');
    const target: EndpointAddress = { host: e.host, port: e.port, tls: e.tls };
    if (e.websocket !== undefined) target.websocket = e.websocket;
    return { id: e.id, target };
  }

  /** The endpoint failed (or its connection was lost): prefer others next time. */
  fail(id: string): void {
    this.failed.add(id);
    this.lastFailed = id;
  }

  succeed(): void {
    this.failed.clear();
  }
}

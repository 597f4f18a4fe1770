/**
 * The directory: keeps `endpoints.json` current from the registry. It looks every
 * `pollMs` (so a join, a drain, or a death — once its heartbeat expires — shows within
 * seconds) and writes when the membership changed, plus every `refreshMs` so the load
 * figures stay fresh. Several directory processes may run at once: each writes the
 * same membership computed from the same registry, so their writes are idempotent and
 * they never fight (no lease needed; the last writer wins with an equal list).
 */

import { defaultsOf } from '../options/declare.js';
import {
  buildEndpointsFile,
  type EndpointsFile,
  type ListedEndpoint,
  membershipKey,
} from '../protocol/index.js';
import { DIRECTORY_OPTIONS } from './options.js';
import type { Publisher } from './publish.js';

export interface EndpointLister {
  list(): Promise<ListedEndpoint[]>;
}

export interface DirectoryOptions {
  /** How often the registry is read, ms. Default 1000. */
  pollMs?: number;
  /** Rewrite at least this often even without changes, ms. Default 30,000. */
  refreshMs?: number;
  now?: () => number;
  onPublish?: (file: EndpointsFile, target: string) => void;
  onError?: (err: unknown, target: string) => void;
}

export class Directory {
  private timer: NodeJS.Timeout | null = null;
  private lastKey: string | null = null;
  private lastWrite = 0;
  private busy = false;
  /** The latest file built (served by `filmgrain start`'s development HTTP server). */
  current: EndpointsFile | null = null;
  private readonly opts: Required<Omit<DirectoryOptions, 'onPublish' | 'onError'>> &
    Pick<DirectoryOptions, 'onPublish' | 'onError'>;

  constructor(
    private readonly registry: EndpointLister,
    private readonly publishers: Publisher[],
    options: DirectoryOptions = {},
  ) {
    this.opts = { ...defaultsOf(DIRECTORY_OPTIONS), now: Date.now, ...options };
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.opts.pollMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads the registry and publishes if needed. Returns whether it wrote. */
  async tick(): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    try {
      const now = this.opts.now();
      const file = buildEndpointsFile(await this.registry.list(), now);
      this.current = file;
      const key = membershipKey(file);
      if (key === this.lastKey && now - this.lastWrite < this.opts.refreshMs) return false;
      const body = `${JSON.stringify(file)}\n`;
      let allOk = true;
      await Promise.all(
        this.publishers.map((p) =>
          p.publish(body).then(
            () => this.opts.onPublish?.(file, p.target),
            (err: unknown) => {
              allOk = false;
              this.opts.onError?.(err, p.target);
            },
          ),
        ),
      );
      // A failed write is retried on the next poll (the key is not remembered).
      if (allOk) {
        this.lastKey = key;
        this.lastWrite = now;
      }
      return allOk;
    } catch (err) {
      this.opts.onError?.(err, 'registry');
      return false;
    } finally {
      this.busy = false;
    }
  }
}

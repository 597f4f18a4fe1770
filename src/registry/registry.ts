/**
 * The endpoint registry: each running endpoint announces where clients should dial it
 * and how loaded it is, with a heartbeat; an entry whose endpoint stops heartbeating
 * (killed, partitioned) expires after `ttlMs`. Discovery lists the live entries and may
 * flip an endpoint's `draining` flag (the endpoint sees it on its next heartbeat).
 */
import { type Clock, every, realClock } from '../clock/clock.js';
import { int, str } from '../options/declare.js';
import type { EndpointAddress } from '../protocol/index.js';

/**
 * What an endpoint says about itself. Its address is the one clients dial
 * (`--public-host`/`--public-port`), not necessarily the bind address.
 */
export interface EndpointAnnouncement extends EndpointAddress {
  /** Unique per process (default: host-pid-random). */
  id: string;
  /** Connections it accepts at most (`--max-connections`; 0 = no limit). */
  capacity: number;
}

export interface EndpointRecord extends EndpointAnnouncement {
  /** Connections held at the last heartbeat. */
  connections: number;
  /** Set by discovery/operators: send no new clients here. */
  draining: boolean;
  /** ms since epoch. */
  startedAt: number;
  /** ms since epoch of the last heartbeat. */
  updatedAt: number;
}

export interface HeartbeatOptions {
  /** Heartbeat period, ms. Default 2000. */
  intervalMs?: number;
  /** An entry not refreshed for this long expires, ms. Default 3 × intervalMs. */
  ttlMs?: number;
  /** Called when a heartbeat fails (store unreachable); the next one retries. */
  onError?: (err: unknown) => void;
  /** Called when the `draining` flag seen in the store changes. */
  onDraining?: (draining: boolean) => void;
}

/** A registered endpoint: heartbeats until `withdraw()`. */
export interface Registration {
  readonly id: string;
  /** The `draining` flag as of the last heartbeat. */
  readonly draining: boolean;
  /** Sends a heartbeat now (also done on the timer). */
  beat(): Promise<void>;
  /** Removes the entry and stops heartbeating. */
  withdraw(): Promise<void>;
}

export interface Registry {
  /** Announces an endpoint and keeps it alive; `load()` is read at every heartbeat. */
  register(
    announcement: EndpointAnnouncement,
    load: () => { connections: number },
    options?: HeartbeatOptions,
  ): Promise<Registration>;
  /** Live endpoints (unexpired entries), ordered by id. */
  list(): Promise<EndpointRecord[]>;
  /** Sets an endpoint's `draining` flag; false if no live entry has that id. */
  setDraining(id: string, draining: boolean): Promise<boolean>;
  /**
   * Calls `listener` with the live list whenever its membership or any flag changes
   * (polled every `intervalMs`, default 1000, and promptly on announcements where the
   * store can notify). Returns a stop function.
   */
  watch(listener: (endpoints: EndpointRecord[]) => void, intervalMs?: number): () => void;
}

/**
 * How an endpoint announces itself, declared once (src/options/declare.ts): the
 * defaults here and the CLI flags of `filmgrain endpoint` come from this table.
 */
export const REGISTRATION_OPTIONS = {
  heartbeatMs: int({
    flag: 'heartbeat',
    env: 'FILMGRAIN_HEARTBEAT_MS',
    default: 2000,
    // Below 100 ms the heartbeats alone load the store; past a minute a dead endpoint
    // stays listed (3 missed beats) for minutes.
    min: 100,
    max: 60_000,
    value: 'MS',
    doc: 'registry heartbeat period; the entry expires after 3 missed heartbeats',
  }),
  id: str({
    flag: 'endpoint-id',
    env: 'FILMGRAIN_ENDPOINT_ID',
    value: 'ID',
    doc: 'registry id (default: <machine>-<pid>-<random>)',
  }),
  publicHost: str({
    flag: 'public-host',
    env: 'FILMGRAIN_PUBLIC_HOST',
    value: 'HOST',
    doc: 'host clients should dial, as announced for discovery (default: --host, or the machine name for 0.0.0.0)',
  }),
  publicPort: int({
    flag: 'public-port',
    env: 'FILMGRAIN_PUBLIC_PORT',
    default: undefined,
    min: 1,
    max: 65_535,
    doc: 'port clients should dial (default: the listening port)',
  }),
} as const;

export const DEFAULT_HEARTBEAT_MS = REGISTRATION_OPTIONS.heartbeatMs.default;

/** A stable fingerprint of what `watch` reports (heartbeat times excluded). */
export function fingerprint(list: EndpointRecord[]): string {
  return JSON.stringify(list.map(({ updatedAt: _u, ...rest }) => rest));
}

/** Polls `list` and reports changes; shared by the implementations. */
export function pollWatch(
  list: () => Promise<EndpointRecord[]>,
  listener: (endpoints: EndpointRecord[]) => void,
  intervalMs = 1000,
  clock: Clock = realClock,
): { stop: () => void; poke: () => void } {
  let last: string | null = null;
  let stopped = false;
  let running = false;
  const poke = () => {
    if (stopped || running) return;
    running = true;
    list().then(
      (l) => {
        running = false;
        const f = fingerprint(l);
        if (stopped || f === last) return;
        last = f;
        listener(l);
      },
      () => {
        running = false; // store unreachable: keep the last list, retry next tick
      },
    );
  };
  const stopTimer = every(clock, intervalMs, poke);
  poke();
  return {
    stop: () => {
      stopped = true;
      stopTimer();
    },
    poke,
  };
}

/**
 * The heartbeat both implementations share: `store(now, ttlMs, draining)` writes the
 * entry and returns the `draining` flag the store holds (set by discovery, never
 * overwritten by a heartbeat); `remove()` deletes it. Beats every `intervalMs` until
 * `withdraw()`.
 */
export async function heartbeat(
  id: string,
  store: (now: number, ttlMs: number, draining: boolean) => Promise<boolean>,
  remove: () => Promise<void>,
  options: HeartbeatOptions,
  clock: Clock,
): Promise<Registration> {
  const intervalMs = options.intervalMs ?? DEFAULT_HEARTBEAT_MS;
  const ttlMs = options.ttlMs ?? 3 * intervalMs;
  let draining = false;
  let withdrawn = false;
  const beat = async () => {
    if (withdrawn) return;
    const stored = await store(clock.now(), ttlMs, draining);
    if (stored !== draining) {
      draining = stored;
      options.onDraining?.(draining);
    }
  };
  await beat();
  const stopTimer = every(clock, intervalMs, () => {
    beat().catch((err) => options.onError?.(err));
  });
  return {
    id,
    get draining() {
      return draining;
    },
    beat,
    withdraw: async () => {
      withdrawn = true;
      stopTimer();
      await remove();
    },
  };
}

/**
 * Load shedding and draining (the seed's "an overburdened endpoint can tell any of its
 * clients to connect to a different endpoint").
 *
 * - Capacity: `capacity` connections (announced to discovery). Past it — or when the
 *   process shows overload (event-loop delay or RSS over their high-water marks) — the
 *   endpoint redirects clients to peers with room, at most `maxRedirectsPerTick` per
 *   tick and each with a random `delay_ms` in [0, spreadMs), so the crowd does not
 *   stampede the next endpoint. New connections past capacity are redirected at once.
 * - Draining: no new clients (redirected, and the caller closes the listener), and the
 *   existing ones are redirected evenly over `windowMs`; resolves when none are left or
 *   the window ends, or `stop()` is called.
 * - Targets come from `PeerChooser`: never this endpoint, never a draining or full one.
 *   With no peer to go to, nobody is redirected (a client is better served here than
 *   sent nowhere); new connections past the hard `maxConnections` get `server_full`.
 */
import { type Clock, every, realClock } from '../clock/clock.js';
import { defaultsOf, int } from '../options/declare.js';
import type { EndpointAddress } from '../protocol/index.js';
import type { Endpoint, RedirectTarget } from './endpoint.js';

/** Picks a peer endpoint with room (weighted random), or undefined when none has room. */
export interface PeerChooser {
  choose(): EndpointAddress | undefined;
}

export interface LoadSignals {
  eventLoopDelayMs: number;
  rssBytes: number;
}

export interface BalancerOptions {
  /** Connections this endpoint should hold at most; 0 = no capacity limit. */
  capacity: number;
  /** How often the balancer looks at its load, ms. Default 1000. */
  tickMs: number;
  /** Clients redirected per tick at most when over capacity. Default 100. */
  maxRedirectsPerTick: number;
  /** `delay_ms` of each redirect is random in [0, spreadMs). Default 2000. */
  spreadMs: number;
  /** Event-loop delay (ms, p99 over a tick) above which the endpoint sheds. 0 = off. Default 200. */
  eventLoopDelayHighMs: number;
  /** RSS above which the endpoint sheds. 0 = off. Default 0. */
  rssHighBytes: number;
  /** Share of clients shed per tick while overloaded. Default 0.02 (2 %). */
  overloadShedShare: number;
  /** `drain()`'s window when none is passed, ms. Default 30,000. */
  drainWindowMs: number;
  random: () => number;
  /** The tick timer and the drain window's clock, for tests. */
  clock: Clock;
}

/**
 * The operator-facing balancer options, declared once (src/options/declare.ts): the
 * library defaults below and the CLI flags both come from here.
 */
export const BALANCER_OPTIONS = {
  /** 0 = no limit; the CLI defaults it to --max-connections when not given. */
  capacity: int({
    flag: 'capacity',
    env: 'FILMGRAIN_CAPACITY',
    default: 0,
    min: 0,
    max: 10_000_000,
    helpDefault: '--max-connections',
    doc: 'clients this endpoint should hold; past it, clients are redirected to peers with room (0 = no limit)',
  }),
  /** Redirects per tick; a tick is a second, hence the flag's name. */
  maxRedirectsPerTick: int({
    flag: 'redirects-per-second',
    env: 'FILMGRAIN_REDIRECTS_PER_SECOND',
    default: 100,
    min: 1,
    max: 1_000_000,
    doc: 'clients redirected per second at most when over capacity',
  }),
  spreadMs: int({
    flag: 'redirect-spread',
    env: 'FILMGRAIN_REDIRECT_SPREAD_MS',
    default: 2000,
    // Past 10 minutes a redirected client would sit idle longer than any drain window.
    min: 0,
    max: 600_000,
    value: 'MS',
    doc: 'each redirect tells the client to wait a random 0..MS first, so crowds do not stampede',
  }),
  eventLoopDelayHighMs: int({
    flag: 'event-loop-high',
    env: 'FILMGRAIN_EVENT_LOOP_HIGH_MS',
    default: 200,
    min: 0,
    max: 60_000,
    value: 'MS',
    doc: 'event-loop delay (p99 over a second) that counts as overload and sheds clients (0 = off)',
  }),
  rssHighBytes: int({
    flag: 'rss-high',
    env: 'FILMGRAIN_RSS_HIGH_BYTES',
    default: 0,
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    value: 'BYTES',
    doc: 'resident memory that counts as overload and sheds clients (0 = off)',
  }),
  /** How long `drain()` spreads the redirects over when no window is passed. */
  drainWindowMs: int({
    flag: 'drain-window',
    env: 'FILMGRAIN_DRAIN_WINDOW_MS',
    default: 30_000,
    // An orchestrator's grace period is minutes at most (Kubernetes: 30 s by default).
    min: 0,
    max: 3_600_000,
    value: 'MS',
    doc: 'on SIGTERM or a drain request, redirect clients evenly over this long, then exit',
  }),
} as const;

export const DEFAULT_BALANCER_OPTIONS: BalancerOptions = {
  ...defaultsOf(BALANCER_OPTIONS),
  tickMs: 1000,
  overloadShedShare: 0.02,
  random: Math.random,
  clock: realClock,
};

export type BalancerState = 'serving' | 'draining';

export class Balancer {
  state: BalancerState = 'serving';
  readonly options: BalancerOptions;
  private stopTimer: (() => void) | null = null;
  private drainDeadline = 0;
  private drained: (() => void) | null = null;
  private draining: Promise<void> | null = null;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly peers: PeerChooser,
    private readonly signals: () => LoadSignals,
    options: Partial<BalancerOptions> = {},
  ) {
    this.options = { ...DEFAULT_BALANCER_OPTIONS, ...options };
    endpoint.admission = (connections) => this.admit(connections);
  }

  start(): void {
    this.stopTimer ??= every(this.options.clock, this.options.tickMs, () => this.tick());
  }

  /**
   * Stops ticking and admitting. A drain in progress ends too: its `drain()` promise
   * resolves (with the clients not yet moved still connected; the caller sees
   * `connectionCount`), so no caller waits forever. Resolving, not rejecting: the
   * caller of stop() is shutting down and a rejection would only be one more thing
   * every drain caller must catch.
   */
  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
    this.endpoint.admission = null;
    this.finishDrain();
  }

  /** Whether this endpoint takes new clients (what it announces to discovery). */
  get accepting(): boolean {
    const { capacity } = this.options;
    return this.state === 'serving' && (capacity === 0 || this.endpoint.connectionCount < capacity);
  }

  private target(reason: RedirectTarget['reason']): RedirectTarget | undefined {
    const peer = this.peers.choose();
    if (peer === undefined) return undefined;
    return { ...peer, reason, delay_ms: Math.floor(this.options.random() * this.options.spreadMs) };
  }

  private admit(connections: number): 'accept' | RedirectTarget {
    const { capacity } = this.options;
    if (this.state === 'draining') return this.target('draining') ?? 'accept';
    if (capacity > 0 && connections >= capacity) return this.target('overloaded') ?? 'accept';
    return 'accept';
  }

  /** One look at the load; redirects what must go. Returns how many were redirected. */
  tick(now = this.options.clock.now()): number {
    const count = this.endpoint.connectionCount;
    if (this.state === 'draining') {
      if (count === 0 || now >= this.drainDeadline) {
        this.finishDrain();
        return 0;
      }
      // Spread the rest evenly over the ticks left in the window.
      const ticksLeft = Math.max(1, Math.ceil((this.drainDeadline - now) / this.options.tickMs));
      return this.shed(Math.ceil(count / ticksLeft), 'draining');
    }
    const { capacity, maxRedirectsPerTick, eventLoopDelayHighMs, rssHighBytes, overloadShedShare } =
      this.options;
    let excess = capacity > 0 ? count - capacity : 0;
    const load = this.signals();
    const overloaded =
      (eventLoopDelayHighMs > 0 && load.eventLoopDelayMs > eventLoopDelayHighMs) ||
      (rssHighBytes > 0 && load.rssBytes > rssHighBytes);
    if (overloaded) excess = Math.max(excess, Math.ceil(count * overloadShedShare));
    if (excess <= 0) return 0;
    return this.shed(Math.min(excess, maxRedirectsPerTick), 'overloaded');
  }

  private shed(n: number, reason: RedirectTarget['reason']): number {
    let done = 0;
    for (const session of this.endpoint.someSessions(n)) {
      const target = this.target(reason);
      if (target === undefined) break; // nowhere to send them: keep them
      this.endpoint.redirect(session, target);
      done++;
    }
    return done;
  }

  /**
   * Starts draining: new clients are redirected, existing ones moved over `windowMs`.
   * Resolves when no client is left or the window has passed.
   */
  drain(windowMs = this.options.drainWindowMs, now = this.options.clock.now()): Promise<void> {
    this.state = 'draining';
    this.drainDeadline = now + windowMs;
    // A second drain() moves the deadline and shares the first one's promise.
    this.draining ??= new Promise<void>((resolve) => {
      this.drained = resolve;
    });
    const done = this.draining;
    this.start();
    this.tick(now);
    return done;
  }

  private finishDrain(): void {
    const resolve = this.drained;
    this.drained = null;
    this.draining = null;
    resolve?.();
  }
}

/**
 * The `/metrics` page in the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): counters end in
 * `_total`, every family has `# HELP` and `# TYPE`, times are in seconds. What a
 * process has (an endpoint, a feeder, an engine) is optional: a feeder-only process
 * exports no connection metrics, an endpoint-only one no feeder metrics.
 */
import { readdirSync } from 'node:fs';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { EndpointStats } from '../endpoint/stats.js';
import type { EngineStatus } from '../engine/engine.js';
import type { FeederStats } from '../feeder/feeder.js';
import type { SourceStats } from '../feeder/source.js';
import { ERROR_CODES, type ErrorCode } from '../protocol/index.js';

/** What the admin server reads; everything is read at scrape time. */
export interface MetricSources {
  endpoint?: { stats: EndpointStats; connectionCount: number; flushWindowMs: number };
  feeder?: { stats: FeederStats; source?: { stats(): SourceStats } };
  engine?: {
    kind: string;
    status: () => EngineStatus;
    /** Last measured round trip to the store in ms (Redis), when the engine measures one. */
    rttMs?: () => number | undefined;
  };
}

type Sample = [labels: string, value: number];

class Page {
  private readonly lines: string[] = [];
  family(name: string, type: 'counter' | 'gauge', help: string, samples: Sample[]): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples)
      this.lines.push(`${name}${labels} ${Number.isFinite(value) ? value : 'NaN'}`);
  }
  one(name: string, type: 'counter' | 'gauge', help: string, value: number): void {
    this.family(name, type, help, [['', value]]);
  }
  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** Open file descriptors (Linux /proc); undefined elsewhere. */
function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

/**
 * Matched/unmatched posts per second over the last `window` seconds, from a 1 s sampler
 * (a gauge for dashboards without PromQL; the `_total` counters are the source of truth).
 */
class RateSampler {
  private readonly samples: { at: number; matched: number; unmatched: number }[] = [];
  private readonly timer: NodeJS.Timeout;
  constructor(
    private readonly stats: FeederStats,
    private readonly window = 10,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }
  private sample(): void {
    this.samples.push({
      at: performance.now(),
      matched: this.stats.matched,
      unmatched: this.stats.unmatched,
    });
    if (this.samples.length > this.window + 1) this.samples.shift();
  }
  rates(): { matched: number; unmatched: number } {
    const first = this.samples[0];
    const now = { at: performance.now(), ...this.stats };
    if (first === undefined || now.at - first.at < 1) return { matched: 0, unmatched: 0 };
    const s = (now.at - first.at) / 1000;
    return {
      matched: (now.matched - first.matched) / s,
      unmatched: (now.unmatched - first.unmatched) / s,
    };
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

export class Metrics {
  private readonly loopDelay: IntervalHistogram;
  private readonly rates: RateSampler | undefined;
  private readonly startedAt = Date.now();

  constructor(private readonly sources: MetricSources) {
    // 10 ms resolution: finer costs a timer wake-up per ms for no operational gain.
    this.loopDelay = monitorEventLoopDelay({ resolution: 10 });
    this.loopDelay.enable();
    this.rates = sources.feeder === undefined ? undefined : new RateSampler(sources.feeder.stats);
  }

  stop(): void {
    this.loopDelay.disable();
    this.rates?.stop();
  }

  render(): string {
    const page = new Page();
    const { endpoint, feeder, engine } = this.sources;
    if (endpoint !== undefined) this.renderEndpoint(page, endpoint);
    if (engine !== undefined) {
      page.family('filmgrain_engine_up', 'gauge', 'Engine store reachable (1) or not (0).', [
        [`{kind="${engine.kind}"}`, engine.status() === 'up' ? 1 : 0],
      ]);
      const rtt = engine.rttMs?.();
      if (rtt !== undefined)
        page.one(
          'filmgrain_engine_rtt_seconds',
          'gauge',
          'Last round trip to the engine store.',
          rtt / 1000,
        );
    }
    if (feeder !== undefined) this.renderFeeder(page, feeder.stats);
    const source = feeder?.source?.stats();
    if (source !== undefined) {
      page.one(
        'filmgrain_source_posts_total',
        'counter',
        'Posts the source handed to the feeder.',
        source.posts,
      );
      page.one(
        'filmgrain_source_malformed_total',
        'counter',
        'Source events or replay lines that could not be parsed (skipped; logged at most every 10 s).',
        source.malformed,
      );
    }
    const h = this.loopDelay;
    page.family(
      'nodejs_eventloop_delay_seconds',
      'gauge',
      'Event-loop delay since start (monitorEventLoopDelay, 10 ms resolution).',
      [
        ['{quantile="0.5"}', h.percentile(50) / 1e9],
        ['{quantile="0.99"}', h.percentile(99) / 1e9],
        ['{quantile="1"}', h.max / 1e9],
      ],
    );
    const mem = process.memoryUsage();
    page.one('process_resident_memory_bytes', 'gauge', 'Resident set size.', mem.rss);
    page.one('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use.', mem.heapUsed);
    const fds = openFds();
    if (fds !== undefined) page.one('process_open_fds', 'gauge', 'Open file descriptors.', fds);
    page.one(
      'process_uptime_seconds',
      'gauge',
      'Seconds since the admin server started.',
      (Date.now() - this.startedAt) / 1000,
    );
    return page.text();
  }

  private renderEndpoint(page: Page, e: NonNullable<MetricSources['endpoint']>): void {
    const s = e.stats;
    page.one('filmgrain_connections', 'gauge', 'Client connections held now.', e.connectionCount);
    page.one(
      'filmgrain_connections_opened_total',
      'counter',
      'Client connections accepted.',
      s.connectionsOpened,
    );
    page.one(
      'filmgrain_connections_closed_total',
      'counter',
      'Client connections closed.',
      s.connectionsClosed,
    );
    page.one(
      'filmgrain_feeds',
      'gauge',
      'Feeds followed now, over all connections.',
      s.feedsStarted - s.feedsStopped,
    );
    page.one('filmgrain_feeds_started_total', 'counter', 'start_feed accepted.', s.feedsStarted);
    page.one('filmgrain_messages_in_total', 'counter', 'Client lines received.', s.messagesIn);
    page.one('filmgrain_messages_out_total', 'counter', 'Lines sent to clients.', s.messagesOut);
    page.one('filmgrain_bytes_in_total', 'counter', 'Bytes received from clients.', s.bytesIn);
    page.one('filmgrain_bytes_out_total', 'counter', 'Bytes written to clients.', s.bytesOut);
    page.family(
      'filmgrain_ranking_lines_out_total',
      'counter',
      'Ranking lines written to clients: full lists (set_movies) and v2 deltas (update_movies).',
      [
        ['{kind="full"}', s.rankingFullOut],
        ['{kind="delta"}', s.rankingDeltasOut],
      ],
    );
    page.one(
      'filmgrain_flush_passes_total',
      'counter',
      'Flush passes of live fan-out (PROTOCOL.md § 7).',
      s.flushPasses,
    );
    page.one(
      'filmgrain_flush_windows_opened_total',
      'counter',
      'Flush passes after which a coalescing window opened: load delayed live posts.',
      s.flushWindowsOpened,
    );
    page.one(
      'filmgrain_flush_window_seconds',
      'gauge',
      'The coalescing window now (0 when the endpoint keeps up).',
      e.flushWindowMs / 1000,
    );
    page.one(
      'filmgrain_posts_delivered_total',
      'counter',
      'Live posts received from the engine for fan-out.',
      s.postsIn,
    );
    page.family(
      'filmgrain_errors_total',
      'counter',
      'Error lines sent to clients, by protocol error code.',
      (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => [
        `{code="${code}"}`,
        s.errors.get(code) ?? 0,
      ]),
    );
    page.one(
      'filmgrain_slow_consumer_drops_total',
      'counter',
      'Clients disconnected because their outgoing buffer was full.',
      s.errors.get('slow_consumer') ?? 0,
    );
    page.one(
      'filmgrain_redirects_total',
      'counter',
      'reconnect lines sent (clients sent to another endpoint).',
      s.redirects,
    );
    page.one(
      'filmgrain_handshakes_refused_total',
      'counter',
      'Connections closed before TLS by the handshake rate limit.',
      s.handshakesRefused,
    );
    page.one(
      'filmgrain_tls_handshake_errors_total',
      'counter',
      'TLS handshakes that failed (old protocol, no shared cipher, garbage, reset).',
      s.tlsErrors,
    );
    page.one(
      'filmgrain_tls_handshake_timeouts_total',
      'counter',
      'TLS handshakes cut because they had not completed within --tls-handshake-timeout.',
      s.tlsHandshakeTimeouts,
    );
    page.one(
      'filmgrain_handshakes_refused_by_limit_total',
      'counter',
      'Connections closed before TLS: with handshakes in flight, past a connection limit.',
      s.handshakesRefusedByLimit,
    );
  }

  private renderFeeder(page: Page, f: FeederStats): void {
    const counters: [keyof FeederStats, string][] = [
      ['seen', 'Posts read from the source.'],
      ['matched', 'Posts that matched at least one movie.'],
      ['unmatched', 'Posts that matched no movie.'],
      ['accepted', 'Posts the engine stored (first time seen).'],
      ['duplicates', 'Posts the engine had already seen.'],
      ['capped', '(post, movie) pairs not counted: per-author hourly cap.'],
      ['dropped', 'Posts dropped: buffer full while the engine was unreachable.'],
      ['engineErrors', 'Failed engine ingest calls (retried).'],
    ];
    for (const [key, help] of counters)
      page.one(`filmgrain_feeder_${snake(key)}_total`, 'counter', help, f[key]);
    page.one(
      'filmgrain_feeder_buffered',
      'gauge',
      'Matched posts waiting for the engine.',
      f.buffered,
    );
    const r = this.rates?.rates() ?? { matched: 0, unmatched: 0 };
    page.family(
      'filmgrain_feeder_posts_per_second',
      'gauge',
      'Posts per second over the last 10 s, by match outcome.',
      [
        ['{outcome="matched"}', r.matched],
        ['{outcome="unmatched"}', r.unmatched],
      ],
    );
  }
}

function snake(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

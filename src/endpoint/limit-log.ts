/**
 * One log line when a connection limit bites, at most one per limit per interval: a
 * flood must not turn into a flood of log lines, yet an operator must learn that
 * clients are being refused (issue 15: 1,100 half-open sockets locked every client
 * out with nothing logged). The line after a quiet interval says how many refusals
 * it stood for. Sans I/O: `emit` and the clock are the caller's.
 */
import type { Clock } from '../clock/clock.js';

/** The limits that refuse or cut connections. */
export type LimitName =
  /** `--handshakes-per-second`: closed before TLS. */
  | 'handshake_rate'
  /** `--tls-handshake-timeout`: a TLS handshake not completed in time, cut. */
  | 'tls_handshake_timeout'
  /** `--max-connections`: `server_full`, or closed before TLS when handshakes fill it. */
  | 'max_connections'
  /** `--max-connections-per-ip`: `too_many_connections`, or closed before TLS likewise. */
  | 'max_connections_per_ip';

export type LimitEmit = (msg: string, fields: Record<string, unknown>) => void;

/** Minimum time between two lines about the same limit. */
export const LIMIT_LOG_INTERVAL_MS = 10_000;

export class LimitLog {
  private readonly last = new Map<LimitName, { at: number; suppressed: number }>();

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly emit: LimitEmit,
    private readonly intervalMs = LIMIT_LOG_INTERVAL_MS,
  ) {}

  /** A connection was refused or cut by `limit`; `fields` say which (address, limit value). */
  bite(limit: LimitName, fields: Record<string, unknown> = {}): void {
    const now = this.clock.now();
    const seen = this.last.get(limit);
    if (seen !== undefined && now - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    // `refused` counts this one and those folded into the silence since the last line.
    const refused = 1 + (seen?.suppressed ?? 0);
    this.last.set(limit, { at: now, suppressed: 0 });
    this.emit('connection limit reached', {
      limit,
      ...fields,
      refused,
      ...(seen === undefined ? {} : { sinceMs: now - seen.at }),
    });
  }
}

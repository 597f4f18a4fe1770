/**
 * A token bucket: `perSecond` sustained, `burst` at once. One algorithm for both rate
 * limits of an endpoint: client messages per connection (Session) and new connections
 * per listener (AcceptGate). `perSecond <= 0` means no limit.
 */
import type { Clock } from '../clock/clock.js';

export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly clock: Pick<Clock, 'now'>,
  ) {
    this.tokens = burst;
    this.at = clock.now();
  }

  /** Takes one token if there is one. */
  take(): boolean {
    if (this.perSecond <= 0) return true;
    const t = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.at) * this.perSecond) / 1000);
    this.at = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

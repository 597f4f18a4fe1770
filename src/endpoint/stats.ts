/** Counters of one endpoint, read by the admin `/metrics` page and by tests. */
import type { ErrorCode } from '../protocol/index.js';

export class EndpointStats {
  connectionsOpened = 0;
  connectionsClosed = 0;
  feedsStarted = 0;
  postsIn = 0;
  messagesOut = 0;
  bytesOut = 0;
  bytesIn = 0;
  /** Client lines handled (any action, valid or not). */
  messagesIn = 0;
  feedsStopped = 0;
  /** Connections closed before their TLS handshake by the handshake rate limit. */
  handshakesRefused = 0;
  /** TLS handshakes that failed (bad version, no shared cipher, garbage, resets). */
  tlsErrors = 0;
  /** TLS handshakes cut because they had not completed in `tlsHandshakeTimeoutMs`. */
  tlsHandshakeTimeouts = 0;
  /**
   * Connections closed before TLS because, with the handshakes in flight, their address
   * or the endpoint was past its connection limit (pending-handshakes.ts).
   */
  handshakesRefusedByLimit = 0;
  /** WebSocket upgrades refused because their `Origin` is not allowed (websocket.ts). */
  originsRefused = 0;
  /** Live posts the per-feed rate cap did not send to v2 followers (live-cap.ts). */
  liveSkipped = 0;
  /**
   * Ranking lines written: full lists (every v1 push, a v2 client's first list or one it
   * fell behind for) and v2 deltas. With bytesOut, what the ranking costs per client.
   */
  rankingFullOut = 0;
  rankingDeltasOut = 0;
  /**
   * Flush passes of live fan-out, and those after which a coalescing window opened
   * (flush-pacer.ts): their ratio is how often load delayed live posts by up to the cap.
   */
  flushPasses = 0;
  flushWindowsOpened = 0;
  /** `reconnect` lines sent (redirects to another endpoint). */
  redirects = 0;
  readonly errors = new Map<ErrorCode, number>();

  errorSent(code: ErrorCode): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }
}

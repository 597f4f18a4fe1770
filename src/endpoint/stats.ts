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
  readonly errors = new Map<ErrorCode, number>();

  errorSent(code: ErrorCode): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }
}

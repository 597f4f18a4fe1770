/**
 * What both raw test clients (line-client.ts, ws-client.ts) do with the messages they
 * receive: queue them, hand them out with `next`/`nextOf`, and end every wait once the
 * connection closed. The transports only call `push` and `end`.
 */
export interface Message {
  action: string;
  params: Record<string, unknown>;
}

export class Inbox {
  private readonly queue: Message[] = [];
  private waiters: ((m: Message | null) => void)[] = [];
  private ended = false;

  /** A message arrived. */
  protected push(m: Message): void {
    const w = this.waiters.shift();
    if (w) w(m);
    else this.queue.push(m);
  }

  /** The connection closed: every wait resolves null. */
  protected end(): void {
    this.ended = true;
    for (const w of this.waiters) w(null);
    this.waiters = [];
  }

  /** The next message; rejects after `timeoutMs`; resolves null if the socket closed. */
  next(timeoutMs = 2000): Promise<Message | null> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no message within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (m: Message | null) => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push(waiter);
    });
  }

  /** Skips messages until one with `action` arrives. */
  async nextOf(action: string, timeoutMs = 2000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      const m = left > 0 ? await this.next(left).catch(() => undefined) : undefined;
      if (m === undefined) throw new Error(`no ${action} within ${timeoutMs} ms`);
      if (m === null) throw new Error(`closed while waiting for ${action}`);
      if (m.action === action) return m;
    }
  }

  /** Resolves true if no message arrives within `ms`. */
  async silentFor(ms: number): Promise<boolean> {
    try {
      const m = await this.next(ms);
      if (m !== null) this.queue.unshift(m);
      return m === null;
    } catch {
      return true;
    }
  }

  /** Messages already received and not yet taken. */
  drain(): Message[] {
    return this.queue.splice(0);
  }
}

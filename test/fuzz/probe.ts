/**
 * Fuzz helpers: a `Probe` sends hostile bytes to a live endpoint over real TLS and
 * collects what the server answered up to a sentinel `ping` (whose `pong` proves the
 * server handled everything before it); a `Bystander` follows a movie while posts are
 * published and records every line it gets, so a test can show it noticed nothing.
 */

import type { LineClient, Message } from '../../harness/line-client.js';
import type { IngestPost } from '../../src/engine/engine.js';
import type { TestEndpoint } from '../support/endpoint.js';
import { post } from '../support/endpoint.js';

export interface Answer {
  /** Lines received before the sentinel pong (or the close). */
  replies: Message[];
  /** The server closed the connection (the sentinel got no pong). */
  closed: boolean;
}

let sentinel = 1_000_000;

export class Probe {
  private client: LineClient | null = null;
  /** Connections this probe opened. */
  connections = 0;

  constructor(
    private readonly ep: TestEndpoint,
    private readonly connect: boolean,
  ) {}

  private async ensure(): Promise<LineClient> {
    if (this.client === null) {
      this.client = await this.ep.client({ connect: this.connect });
      // Several writes per case: without this, Nagle + delayed ACK cost 40 ms each.
      this.client.socket.setNoDelay(true);
      this.connections++;
    }
    return this.client;
  }

  /** Sends `chunks` (each its own write), then a newline and the sentinel ping. */
  async ask(chunks: (Buffer | string)[], timeoutMs = 3000): Promise<Answer> {
    const c = await this.ensure();
    const ts = sentinel++;
    for (const chunk of chunks) c.sendRaw(chunk);
    c.sendRaw(`\n{"action":"ping","params":{"ts":${ts}}}\n`);
    const replies: Message[] = [];
    for (;;) {
      const m = await c.next(timeoutMs);
      if (m === null) {
        this.client = null;
        return { replies, closed: true };
      }
      if (m.action === 'pong' && m.params.ts === ts) return { replies, closed: false };
      replies.push(m);
    }
  }

  close(): void {
    this.client?.close();
    this.client = null;
  }
}

/** Opens a fresh connection, sends `chunks`, and collects until the server closes or the sentinel pong. */
export async function once(
  ep: TestEndpoint,
  chunks: (Buffer | string)[],
  connect = false,
): Promise<Answer> {
  const probe = new Probe(ep, connect);
  try {
    return await probe.ask(chunks);
  } finally {
    probe.close();
  }
}

/**
 * A well-behaved client following movie 1 while a timer publishes a post to it every
 * `everyMs`. `finish()` stops publishing, waits for the last post and returns what was
 * published and what arrived.
 */
export class Bystander {
  private published: string[] = [];
  private readonly received: Message[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Round trips of the bystander's pings, ms: what "noticed nothing" means for latency. */
  readonly rtts: number[] = [];
  private constructor(private readonly client: LineClient) {
    client.socket.setNoDelay(true);
    client.socket.on('data', () => this.take());
  }

  private take(): void {
    for (const m of this.client.drain()) {
      if (m.action === 'pong' && typeof m.params.ts === 'number' && m.params.ts > 0)
        this.rtts.push(performance.now() - m.params.ts);
      this.received.push(m);
    }
  }

  static async start(ep: TestEndpoint, everyMs = 25): Promise<Bystander> {
    const client = await ep.client();
    client.send('start_feed', { movie_id: 1 });
    client.send('ping', { ts: -1 });
    await client.nextOf('pong');
    const b = new Bystander(client);
    b.timer = setInterval(() => {
      const p: IngestPost = post([1], 'bystander post');
      b.published.push(p.tweet.id);
      ep.engine.ingest([p]).catch(() => {});
      client.send('ping', { ts: performance.now() });
    }, everyMs);
    return b;
  }

  async finish(): Promise<{ published: string[]; posts: string[]; others: Message[] }> {
    if (this.timer !== null) clearInterval(this.timer);
    const deadline = Date.now() + 5000;
    const posts = () =>
      this.received
        .filter((m) => m.action === 'post_tweet')
        .map((m) => (m.params.tweet as { id: string }).id);
    while (posts().length < this.published.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      this.take();
    }
    return {
      published: this.published,
      posts: posts(),
      others: this.received.filter((m) => m.action !== 'post_tweet' && m.action !== 'pong'),
    };
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.client.close();
  }
}

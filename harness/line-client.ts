/**
 * A tiny raw protocol client for tests: a real TLS (or TCP) socket, lines in and out,
 * `next()` to await the next message. It knows nothing of the SDK on purpose.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface Message {
  action: string;
  params: Record<string, unknown>;
}

export interface LineClientOptions {
  port: number;
  host?: string;
  /** CA to trust (the test certificate); absent = plain TCP. */
  ca?: string | Buffer;
  /** Local address to connect from (spread load over 127.0.0.x). */
  localAddress?: string;
}

export class LineClient {
  readonly socket: net.Socket;
  private buffered = '';
  private readonly queue: Message[] = [];
  private waiters: ((m: Message | null) => void)[] = [];
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      let nl = this.buffered.indexOf('\n');
      while (nl !== -1) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        this.push(JSON.parse(line) as Message);
        nl = this.buffered.indexOf('\n');
      }
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.ended = true;
        for (const w of this.waiters) w(null);
        this.waiters = [];
        resolve();
      }),
    );
  }

  static connect(options: LineClientOptions): Promise<LineClient> {
    const host = options.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const socket =
        options.ca === undefined
          ? net.connect({ port: options.port, host, localAddress: options.localAddress }, () =>
              resolve(new LineClient(socket)),
            )
          : tls.connect(
              {
                port: options.port,
                host,
                ca: options.ca,
                servername: 'localhost',
                // tls.connect passes socket options through to net.connect.
                ...({ localAddress: options.localAddress } as object),
              },
              () => resolve(new LineClient(socket)),
            );
      socket.once('error', reject);
    });
  }

  private push(m: Message): void {
    const w = this.waiters.shift();
    if (w) w(m);
    else this.queue.push(m);
  }

  send(action: string, params: Record<string, unknown> = {}): void {
    this.socket.write(`${JSON.stringify({ action, params })}\n`);
  }

  sendRaw(data: string | Buffer): void {
    this.socket.write(data);
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

  /** Stops reading (the kernel's buffers then fill), until `resume`. */
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }
  get localPort(): number | undefined {
    return this.socket.localPort;
  }

  close(): void {
    this.socket.destroy();
  }
}

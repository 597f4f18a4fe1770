/**
 * A tiny raw protocol client for tests: a real TLS (or TCP) socket, lines in and out,
 * `next()` to await the next message. It knows nothing of the SDK on purpose.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Inbox, type Message } from './inbox.js';

export type { Message } from './inbox.js';

export interface LineClientOptions {
  port: number;
  host?: string;
  /** CA to trust (the test certificate); absent = plain TCP. */
  ca?: string | Buffer;
  /** Local address to connect from (spread load over 127.0.0.x). */
  localAddress?: string;
}

export class LineClient extends Inbox {
  readonly socket: net.Socket;
  private buffered = '';
  readonly closed: Promise<void>;

  private constructor(socket: net.Socket) {
    super();
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
        this.end();
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

  send(action: string, params: Record<string, unknown> = {}): void {
    this.socket.write(`${JSON.stringify({ action, params })}\n`);
  }

  sendRaw(data: string | Buffer): void {
    this.socket.write(data);
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

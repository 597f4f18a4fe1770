/**
 * The WebSocket twin of LineClient (line-client.ts): a real `ws` connection, one
 * protocol message per text frame, the same methods, so one test suite runs over both
 * transports. `sendRaw` keeps line semantics: each `\n`-terminated piece is one frame
 * (a piece without its `\n` waits for the rest), so the bad-input cases read alike.
 */
import WebSocket from 'ws';
import { Inbox, type Message } from './inbox.js';

export interface WsClientOptions {
  /** A ws:// or wss:// URL. */
  url: string;
  /** CA to trust for wss://. */
  ca?: string | Buffer;
  /** Sent as the `Origin` header (what a browser page would send). */
  origin?: string;
  localAddress?: string;
}

export class WsClient extends Inbox {
  readonly ws: WebSocket;
  private pending: Buffer[] = [];
  /** The close code and reason the server sent (or 1006 for a dropped connection). */
  closeCode: number | undefined;
  closeReason = '';
  /** Frames received whose text did not end with `}` or had a `\n` (must never happen). */
  readonly badFrames: string[] = [];
  readonly closed: Promise<void>;

  private constructor(ws: WebSocket) {
    super();
    this.ws = ws;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const text = data.toString('utf8');
      if (isBinary || text.includes('\n')) this.badFrames.push(text);
      this.push(JSON.parse(text) as Message);
    });
    ws.on('error', () => {});
    this.closed = new Promise((resolve) =>
      ws.on('close', (code: number, reason: Buffer) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        this.end();
        resolve();
      }),
    );
  }

  static connect(options: WsClientOptions): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(options.url, {
        ...(options.ca === undefined ? {} : { ca: options.ca, servername: 'localhost' }),
        ...(options.origin === undefined ? {} : { origin: options.origin }),
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        perMessageDeflate: false,
      });
      ws.once('open', () => resolve(new WsClient(ws)));
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
      );
      ws.once('error', reject);
    });
  }

  send(action: string, params: Record<string, unknown> = {}): void {
    this.ws.send(JSON.stringify({ action, params }));
  }

  /** One frame per `\n`-terminated piece, bytes as given (text frames). */
  sendRaw(data: string | Buffer): void {
    let buf = typeof data === 'string' ? Buffer.from(data) : data;
    for (;;) {
      const nl = buf.indexOf(0x0a);
      if (nl === -1) break;
      const frame = Buffer.concat([...this.pending, buf.subarray(0, nl)]);
      this.pending = [];
      this.ws.send(frame, { binary: false });
      buf = buf.subarray(nl + 1);
    }
    if (buf.length > 0) this.pending.push(buf);
  }

  /** Sends `data` as exactly one frame (text unless `binary`). */
  sendFrame(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Stops reading (the kernel's buffers then fill), until `resume`. */
  pause(): void {
    this.ws.pause();
  }
  resume(): void {
    this.ws.resume();
  }
  get localPort(): number | undefined {
    return (this.ws as unknown as { _socket?: { localPort?: number } })._socket?.localPort;
  }

  close(): void {
    this.ws.terminate();
  }
}

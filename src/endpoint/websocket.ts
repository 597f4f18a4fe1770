/**
 * The WebSocket adapter (RFC 6455, PROTOCOL.md § 12): turns WebSocket connections into
 * Connections for the endpoint core, exactly as listener.ts does for raw TLS sockets.
 * The session never learns which transport it serves: each text frame the client sends
 * is handed to it as one message, and each line the endpoint writes leaves as one text
 * frame without its `\n`.
 *
 * It listens on its own port (ARCHITECTURE.md § Transports says why), over TLS with
 * the line listener's certificate and settings, or plain `ws://` behind a TLS proxy
 * or on loopback in development. Uses the `ws` library with permessage-deflate off by
 * default: a deflate context keeps zlib state per connection for its life (~230 KiB
 * more per idle client once messages flowed, 272 vs 40 KiB in bench:conns, see
 * docs/CAPACITY.md), several times what the client costs otherwise, for messages that
 * are small anyway.
 */
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Connection } from './connection.js';
import type { Endpoint } from './endpoint.js';
import {
  guardAccepts,
  type ListenOptions,
  onError,
  type RunningListener,
  socketIdentity,
  startListening,
  tuneSocket,
} from './listening.js';
import type { Session } from './session.js';
import { tlsServerOptions } from './tls-settings.js';

/** Where and how to listen (`tls` absent: plain `ws://`), and what only WebSocket has. */
export interface WebSocketListenOptions extends ListenOptions {
  /**
   * Origins a browser page may connect from, e.g. `https://app.example.com` (exact,
   * scheme and port included); `*` allows any. A request without `Origin` (not a
   * browser) is always let in: the check protects browsers' users, not the server.
   * Read at each upgrade, so the owner may add to it later.
   */
  origins: ReadonlySet<string>;
  /** permessage-deflate (off by default: memory per connection, see above). */
  deflate?: boolean;
}

const NEWLINE = 0x0a;
/** Frames larger than this many times `maxLineBytes` are cut by the library (close 1009). */
const PAYLOAD_SLACK = 4;

class WebSocketConnection implements Connection {
  readonly remoteAddress: string;
  readonly kernelKey?: string;
  session: Session | undefined;
  constructor(
    private readonly ws: WebSocket,
    private readonly socket: net.Socket,
  ) {
    const { remoteAddress, kernelKey } = socketIdentity(socket);
    this.remoteAddress = remoteAddress;
    if (kernelKey !== undefined) this.kernelKey = kernelKey;
  }

  /**
   * `data` holds whole lines, except that the session may split a large write into
   * small ones (session.ts, memory per idle connection): a line cut there leaves as a
   * fragmented message (`fin: false`, then continuation frames), so the client still
   * gets exactly one message per line. All frames of one write share one socket
   * write (corked): one TLS record, as on the line transport.
   */
  write(chunks: readonly Buffer[], written: () => void): void {
    const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const socket = this.socket;
    socket.cork();
    let start = 0;
    while (start < data.length) {
      const nl = data.indexOf(NEWLINE, start);
      const end = nl === -1 ? data.length : nl;
      const last = nl === -1 || nl + 1 >= data.length;
      this.ws.send(
        data.subarray(start, end),
        { binary: false, fin: nl !== -1 },
        last ? () => written() : undefined,
      );
      start = end + 1;
    }
    socket.uncork();
  }
  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }
  end(): void {
    this.ws.close(1000);
  }
  destroy(): void {
    this.ws.terminate();
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\n\r\n${reason}\n`,
  );
}

export function listenWebSocket(
  endpoint: Endpoint,
  options: WebSocketListenOptions,
): Promise<RunningListener> {
  const origins = options.origins;
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: options.deflate === true,
    maxPayload: endpoint.options.maxLineBytes * PAYLOAD_SLACK,
  });
  // Anything but an upgrade: this port speaks WebSocket only.
  const notWebSocket = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
    res.end('this port speaks the Filmgrain protocol over WebSocket only (PROTOCOL.md § 12)\n');
  };
  const server =
    options.tls === undefined
      ? http.createServer(notWebSocket)
      : https.createServer(
          tlsServerOptions(options.tls, endpoint.options.tlsHandshakeTimeoutMs),
          notWebSocket,
        );
  // The upgrade request must arrive within the connect deadline (slow headers are the
  // HTTP slowloris); after it, the session's own deadlines apply.
  server.headersTimeout = endpoint.options.handshakeTimeoutMs;
  server.requestTimeout = endpoint.options.handshakeTimeoutMs;
  // Pending from the TCP accept until the upgrade is done: a TLS or an HTTP slowloris
  // counts against the connection limits either way.
  const handshakeDone = guardAccepts(server, endpoint, true);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', onError);
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has('*') && !origins.has(origin)) {
      endpoint.stats.originsRefused++;
      refuse(socket, 403, `origin ${origin.slice(0, 200)} is not allowed`);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/') {
      refuse(socket, 404, 'the WebSocket endpoint is at /');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      handshakeDone(socket as net.Socket);
      attach(endpoint, ws, socket as net.Socket);
    });
  });
  // Idle keep-alive HTTP sockets (a 426 answered) would hold `close` forever.
  return startListening(server, options, () => server.closeIdleConnections());
}

function attach(endpoint: Endpoint, ws: WebSocket, socket: net.Socket): void {
  tuneSocket(socket);
  const conn = new WebSocketConnection(ws, socket);
  const session = endpoint.accept(conn);
  // One frame is one message, text or binary alike (PROTOCOL.md § 12); the library has
  // already checked a text frame's UTF-8 (a bad one closes with 1007, as RFC 6455 says).
  ws.on('message', (data: Buffer) => session.receiveMessage(data));
  ws.on('close', () => session.transportClosed());
  ws.on('error', onError);
}

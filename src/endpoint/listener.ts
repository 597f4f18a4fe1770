/**
 * The TCP/TLS adapter: turns sockets into Connections for the endpoint core. Handlers
 * are shared functions that find their session through a symbol on the socket, so a
 * client costs no closures.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Connection } from './connection.js';
import type { Endpoint } from './endpoint.js';
import type { Session } from './session.js';

const SESSION = Symbol('filmgrain.session');
type TaggedSocket = net.Socket & { [SESSION]?: Session };

export interface TlsMaterial {
  cert: string | Buffer;
  key: string | Buffer;
}

export interface ListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Serve TLS with this certificate, or plain TCP when absent (development, or behind a TLS-terminating balancer). */
  tls?: TlsMaterial;
}

/**
 * TLS settings: 1.2 minimum; Node's default cipher list (ECDHE + AEAD first, no RC4,
 * no 3DES, no export suites) and server-preferred order.
 */
export function tlsContextOptions(material: TlsMaterial): tls.SecureContextOptions {
  return { cert: material.cert, key: material.key, minVersion: 'TLSv1.2' };
}

class SocketConnection implements Connection {
  readonly remoteAddress: string;
  constructor(private readonly socket: net.Socket) {
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
  }
  write(data: Buffer): void {
    this.socket.write(data);
  }
  get bufferedBytes(): number {
    return this.socket.writableLength;
  }
  end(): void {
    this.socket.end();
  }
  destroy(): void {
    this.socket.destroy();
  }
}

function onData(this: TaggedSocket, chunk: Buffer): void {
  this[SESSION]?.receive(chunk);
}
function onClose(this: TaggedSocket): void {
  const session = this[SESSION];
  if (session === undefined) return;
  this[SESSION] = undefined;
  session.transportClosed();
}
function onError(): void {
  // Resets and TLS alerts from clients are routine; 'close' follows and cleans up.
}

export interface RunningListener {
  readonly server: net.Server;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** Replaces the certificate for new handshakes (existing connections are kept). */
  setCertificate(material: TlsMaterial): void;
  /** Stops accepting; existing connections stay. */
  close(): Promise<void>;
}

export function listen(endpoint: Endpoint, options: ListenOptions): Promise<RunningListener> {
  const attach = (socket: net.Socket) => {
    socket.setNoDelay(true);
    // Kernel keep-alive finds half-open peers even when the client never pings.
    socket.setKeepAlive(true, 60_000);
    const tagged = socket as TaggedSocket;
    tagged[SESSION] = endpoint.accept(new SocketConnection(socket));
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
  };
  const server: net.Server =
    options.tls === undefined
      ? net.createServer(attach)
      : tls.createServer({ ...tlsContextOptions(options.tls), honorCipherOrder: true }, attach);
  if (server instanceof tls.Server) {
    // A failed handshake never reaches `attach`; it is the client's problem, not ours.
    server.on('tlsClientError', () => {});
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address() as net.AddressInfo;
      resolve({
        server,
        host: options.host,
        port: address.port,
        tls: options.tls !== undefined,
        setCertificate(material) {
          if (server instanceof tls.Server) server.setSecureContext(tlsContextOptions(material));
        },
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

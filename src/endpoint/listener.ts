/**
 * The TCP/TLS adapter: turns sockets into Connections for the endpoint core. Handlers
 * are shared functions that find their session through a symbol on the socket, so a
 * client costs no closures.
 */
import { constants } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { Connection } from './connection.js';
import type { Endpoint } from './endpoint.js';
import { socketKey } from './kernel-queue.js';
import { PendingHandshakes } from './pending-handshakes.js';
import type { Session } from './session.js';
import { TokenBucket } from './token-bucket.js';

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
 * Cipher suites, in our order of preference: TLS 1.3's three, then TLS 1.2 with ECDHE
 * key exchange (forward secrecy) and an AEAD cipher only — Mozilla's "intermediate"
 * profile (https://wiki.mozilla.org/Security/Server_Side_TLS). Node's default list also
 * allows DHE, CBC-mode and SHA-1 MAC suites; these are what testssl.sh flags.
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * TLS settings: 1.2 minimum, the suites above in server order, modern curves only, and
 * no renegotiation at all (`SSL_OP_NO_RENEGOTIATION`; a renegotiation costs the server
 * a full handshake, a classic DoS lever; TLS 1.3 has none anyway). Applied again on
 * every certificate reload, so a reload cannot weaken them.
 */
export function tlsContextOptions(material: TlsMaterial): tls.SecureContextOptions {
  return {
    cert: material.cert,
    key: material.key,
    minVersion: 'TLSv1.2',
    ciphers: TLS_CIPHERS,
    honorCipherOrder: true,
    ecdhCurve: 'X25519:P-256:P-384',
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION | constants.SSL_OP_NO_COMPRESSION,
  };
}

/**
 * A TLS server's options: the settings above plus the handshake deadline. Node's
 * handshake timer reports ERR_TLS_HANDSHAKE_TIMEOUT through 'tlsClientError' and leaves
 * the socket open; guardAccepts destroys it. It runs from the TCP accept and bytes of a
 * dribbled ClientHello do not extend it (they are read by the TLS layer, not the
 * socket's idle timer).
 */
export function tlsServerOptions(material: TlsMaterial, endpoint: Endpoint): tls.TlsOptions {
  return {
    ...tlsContextOptions(material),
    handshakeTimeout: endpoint.options.tlsHandshakeTimeoutMs,
  };
}

class SocketConnection implements Connection {
  readonly remoteAddress: string;
  constructor(private readonly socket: net.Socket) {
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    if (socket.localPort !== undefined && socket.remotePort !== undefined)
      this.kernelKey = socketKey(socket.localPort, this.remoteAddress, socket.remotePort);
  }
  readonly kernelKey?: string;
  write(data: Buffer, written: () => void): void {
    this.socket.write(data, written);
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
export function onError(): void {
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

/**
 * What every listener of the endpoint (this one, websocket.ts) does on a raw TCP
 * accept, before any TLS or HTTP work: the handshake token bucket, then — while the
 * connection is still in its handshake (TLS, and for WebSocket the HTTP upgrade too) —
 * counting it against the connection limits, so half-open sockets cannot crowd out
 * real clients; and, for TLS, the handshake deadline (`tlsHandshakeTimeoutMs`, from the
 * server's `handshakeTimeout`) enforced by destroying the socket. Returns what the
 * listener calls once a connection is attached to a session (its handshake is over).
 */
export function guardAccepts(
  server: net.Server,
  endpoint: Endpoint,
  /** Count connections as pending until `attached` (false: plain TCP, no handshake). */
  hasHandshake: boolean,
): (socket: net.Socket) => void {
  const {
    handshakesPerSecond,
    handshakeBurst,
    clock,
    tlsHandshakeTimeoutMs,
    maxConnections,
    maxConnectionsPerIp,
  } = endpoint.options;
  const { stats, limitLog } = endpoint;
  // Handshakes in flight, by socket (socketKey): ended when the connection is attached
  // or the socket closes, whichever comes first.
  const pending = new PendingHandshakes({ maxConnections, maxConnectionsPerIp }, endpoint);
  const inHandshake = new Map<string, () => void>();
  const keyOf = (s: net.Socket) => `${s.localPort}|${s.remoteAddress}|${s.remotePort}`;
  // New connections are checked on the raw TCP accept, before any TLS work, so a
  // refused connection costs one accept and one close.
  const gate = new TokenBucket(handshakesPerSecond, Math.max(1, handshakeBurst), clock);
  // Runs before the TLS server's own 'connection' handler reads a byte: destroying the
  // socket here means no handshake work at all for a refused connection.
  let refusedUnreported = 0;
  const refuse = (socket: net.Socket) => {
    refusedUnreported++;
    socket.on('error', onError);
    socket.destroy();
  };
  server.prependListener('connection', (socket: net.Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    if (!gate.take()) {
      stats.handshakesRefused++;
      limitLog.bite('handshake_rate', { perSecond: handshakesPerSecond, burst: handshakeBurst });
      refuse(socket);
      return;
    }
    if (!hasHandshake) return; // plain TCP: no handshake to wait for
    const limit = pending.refuses(address);
    if (limit !== null) {
      stats.handshakesRefusedByLimit++;
      limitLog.bite(limit, {
        address,
        max: limit === 'max_connections' ? maxConnections : maxConnectionsPerIp,
        inHandshake: limit === 'max_connections' ? pending.size : pending.from(address),
      });
      refuse(socket);
      return;
    }
    const key = keyOf(socket);
    const end = pending.start(address);
    inHandshake.set(key, end);
    socket.once('close', () => {
      end();
      if (inHandshake.get(key) === end) inHandshake.delete(key);
    });
  });
  if (server instanceof tls.Server) {
    // A failed handshake never reaches `attach`; it is the client's problem, not ours
    // (counted for /metrics). A refused connection also reports one ECONNRESET here;
    // it is already counted as refused. Node destroys the socket on a protocol error
    // but not on its handshake timeout: that one is destroyed here.
    server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: tls.TLSSocket) => {
      if (err.code === 'ERR_TLS_HANDSHAKE_TIMEOUT') {
        stats.tlsHandshakeTimeouts++;
        limitLog.bite('tls_handshake_timeout', {
          address: socket.remoteAddress,
          timeoutMs: tlsHandshakeTimeoutMs,
        });
      } else if (refusedUnreported > 0 && err.code === 'ECONNRESET') refusedUnreported--;
      else stats.tlsErrors++;
      socket.destroy();
    });
  }
  return (socket: net.Socket) => {
    if (!hasHandshake) return;
    const key = keyOf(socket);
    inHandshake.get(key)?.();
    inHandshake.delete(key);
  };
}

export function listen(endpoint: Endpoint, options: ListenOptions): Promise<RunningListener> {
  let handshakeDone: (socket: net.Socket) => void = () => {};
  const attach = (socket: net.Socket) => {
    handshakeDone(socket);
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
      : tls.createServer(tlsServerOptions(options.tls, endpoint), attach);
  handshakeDone = guardAccepts(server, endpoint, options.tls !== undefined);
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

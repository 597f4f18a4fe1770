/**
 * What every listener of the endpoint (listener.ts: the TLS line port; websocket.ts:
 * the WebSocket port) shares, written once: the accept gate run on each raw TCP accept,
 * the settings of an accepted socket, its identity for the Connection, and listening
 * itself with the handle the owner keeps (port, certificate reload, close).
 */
import type net from 'node:net';
import tls from 'node:tls';
import type { Endpoint } from './endpoint.js';
import { socketKey } from './kernel-queue.js';
import { PendingHandshakes } from './pending-handshakes.js';
import { type TlsMaterial, tlsContextOptions } from './tls-settings.js';
import { TokenBucket } from './token-bucket.js';

export interface ListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Serve TLS with this certificate, or plain TCP when absent (development, or behind a TLS-terminating balancer). */
  tls?: TlsMaterial;
}

/** A listening port of the endpoint, as its owner (the CLI, a test) holds it. */
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

export function onError(): void {
  // Resets and TLS alerts from clients are routine; 'close' follows and cleans up.
}

/** The socket settings of every accepted client connection, whatever its transport. */
export function tuneSocket(socket: net.Socket): void {
  socket.setNoDelay(true);
  // Kernel keep-alive finds half-open peers even when the client never pings.
  socket.setKeepAlive(true, 60_000);
}

/**
 * A Connection's `remoteAddress` and `kernelKey` for a kernel TCP socket: the key lets
 * the slow-consumer bound count the socket's kernel send queue (kernel-queue.ts).
 */
export function socketIdentity(socket: net.Socket): { remoteAddress: string; kernelKey?: string } {
  const remoteAddress = socket.remoteAddress ?? 'unknown';
  if (socket.localPort === undefined || socket.remotePort === undefined) return { remoteAddress };
  return {
    remoteAddress,
    kernelKey: socketKey(socket.localPort, remoteAddress, socket.remotePort),
  };
}

/**
 * Listens on `options.host`/`options.port` and resolves once bound (rejects on a bind
 * error such as EADDRINUSE). `afterClose` runs once `close()` has stopped the server
 * accepting (websocket.ts closes its idle HTTP sockets there).
 */
export function startListening(
  server: net.Server,
  options: ListenOptions,
  afterClose: () => void = () => {},
): Promise<RunningListener> {
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
          // https.Server is a tls.Server: both ports reload the same way.
          if (server instanceof tls.Server) server.setSecureContext(tlsContextOptions(material));
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            afterClose();
          }),
      });
    });
  });
}

/**
 * What every listener does on a raw TCP accept, before any TLS or HTTP work: the
 * handshake token bucket, then — while the connection is still in its handshake (TLS,
 * and for WebSocket the HTTP upgrade too) — counting it against the connection limits,
 * so half-open sockets cannot crowd out real clients; and, for TLS, the handshake
 * deadline (`tlsHandshakeTimeoutMs`, from the server's `handshakeTimeout`) enforced by
 * destroying the socket. Returns what the listener calls once a connection is attached
 * to a session (its handshake is over).
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

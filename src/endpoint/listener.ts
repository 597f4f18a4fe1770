/**
 * The TCP/TLS adapter: turns sockets into Connections for the endpoint core. Handlers
 * are shared functions that find their session through a symbol on the socket, so a
 * client costs no closures. What it shares with the WebSocket adapter (the accept gate,
 * socket settings, listening) is in listening.ts; the TLS settings in tls-settings.ts.
 */
import net from 'node:net';
import tls from 'node:tls';
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

const SESSION = Symbol('filmgrain.session');
type TaggedSocket = net.Socket & { [SESSION]?: Session };

class SocketConnection implements Connection {
  readonly remoteAddress: string;
  readonly kernelKey?: string;
  constructor(private readonly socket: net.Socket) {
    const { remoteAddress, kernelKey } = socketIdentity(socket);
    this.remoteAddress = remoteAddress;
    if (kernelKey !== undefined) this.kernelKey = kernelKey;
  }
  write(chunks: readonly Buffer[], written: () => void): void {
    const socket = this.socket;
    if (chunks.length === 1) {
      socket.write(chunks[0]!, written);
      return;
    }
    // Corked: one writev, which the TLS layer encrypts as one (its native buffer, not
    // a JS Buffer per client that the GC then has to chase).
    socket.cork();
    const last = chunks.length - 1;
    for (let i = 0; i < last; i++) socket.write(chunks[i]!);
    socket.write(chunks[last]!, written);
    socket.uncork();
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

export function listen(endpoint: Endpoint, options: ListenOptions): Promise<RunningListener> {
  let handshakeDone: (socket: net.Socket) => void = () => {};
  const attach = (socket: net.Socket) => {
    handshakeDone(socket);
    tuneSocket(socket);
    const tagged = socket as TaggedSocket;
    tagged[SESSION] = endpoint.accept(new SocketConnection(socket));
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
  };
  const server: net.Server =
    options.tls === undefined
      ? net.createServer(attach)
      : tls.createServer(
          tlsServerOptions(options.tls, endpoint.options.tlsHandshakeTimeoutMs),
          attach,
        );
  handshakeDone = guardAccepts(server, endpoint, options.tls !== undefined);
  return startListening(server, options);
}

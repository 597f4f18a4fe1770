/**
 * The Node adapter of `Transport`: node:net for plain TCP, node:tls for TLS (1.2+).
 * Trust is one of: the system CAs (default), a given `ca`, a pinned certificate
 * SHA-256 fingerprint, or `insecure` (development only: any certificate).
 */
import net from 'node:net';
import tls from 'node:tls';
import { addressLabel, type EndpointAddress } from '../protocol/index.js';
import type { Stream, StreamHandlers, Transport } from './transport.js';

export interface NodeTlsOptions {
  /** PEM CA certificate(s) to trust instead of the system CAs. */
  ca?: string | Buffer | (string | Buffer)[];
  /**
   * SHA-256 fingerprint of the server certificate, hex with or without colons (as
   * `openssl x509 -fingerprint -sha256` prints it). When set, only that certificate is
   * accepted and CA validation is skipped.
   */
  pin?: string;
  /** Accept any certificate. Development only. Default false. */
  insecure?: boolean;
  /** SNI / certificate name to check. Default: the target host. */
  servername?: string;
}

export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

class SocketStream implements Stream {
  constructor(
    private readonly socket: net.Socket,
    readonly label: string,
  ) {}
  write(data: string): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }
  get bufferedBytes(): number {
    return this.socket.writableLength;
  }
  end(): void {
    this.socket.end();
    // A peer that never closes its half must not keep the socket forever.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }
  destroy(): void {
    this.socket.destroy();
  }
}

export function nodeTransport(options: NodeTlsOptions = {}): Transport {
  const pin = options.pin === undefined ? undefined : normalizeFingerprint(options.pin);
  return {
    connect(
      target: EndpointAddress,
      handlers: StreamHandlers,
      signal: AbortSignal,
    ): Promise<Stream> {
      return new Promise((resolve, reject) => {
        const label = addressLabel(target);
        let socket: net.Socket;
        let ready = false;
        const onReady = () => {
          if (pin !== undefined && socket instanceof tls.TLSSocket) {
            const got = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
            if (got !== pin) {
              socket.destroy();
              reject(new CodedError('pin_mismatch', `${label}: certificate fingerprint ${got}`));
              return;
            }
          }
          ready = true;
          signal.removeEventListener('abort', onAbort);
          socket.setNoDelay(true);
          socket.on('data', (chunk: Buffer) => handlers.data(chunk));
          resolve(new SocketStream(socket, label));
        };
        if (target.tls) {
          const isIp = net.isIP(target.host) !== 0;
          const servername = options.servername ?? (isIp ? undefined : target.host);
          socket = tls.connect(
            {
              host: target.host,
              port: target.port,
              minVersion: 'TLSv1.2',
              ...(servername === undefined ? {} : { servername }),
              ...(options.ca === undefined ? {} : { ca: options.ca }),
              rejectUnauthorized: !(options.insecure === true || pin !== undefined),
            },
            onReady,
          );
        } else {
          socket = net.connect({ host: target.host, port: target.port }, onReady);
        }
        let closed = false;
        const finish = (err?: Error) => {
          if (closed) return;
          closed = true;
          if (ready) handlers.close(err);
          else reject(err ?? new CodedError('transport_failed', `${label}: closed`));
        };
        socket.on('error', (err) => finish(err));
        socket.on('close', () => finish());
        const onAbort = () => socket.destroy();
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

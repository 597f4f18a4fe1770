/**
 * Builds and runs the endpoint half of a process: TLS material (given, or the
 * development certificate), the endpoint core and its listener, SIGHUP certificate
 * reload. Shared by `filmgrain start` and `filmgrain endpoint`.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensureDevCertificate } from '../endpoint/dev-cert.js';
import { encodeLine } from '../endpoint/encode.js';
import { Endpoint } from '../endpoint/endpoint.js';
import { listen, type RunningListener, type TlsMaterial } from '../endpoint/listener.js';
import { DEFAULT_ENDPOINT_OPTIONS, type EndpointOptions } from '../endpoint/options.js';
import type { Engine } from '../engine/engine.js';
import { errorMessage } from '../protocol/index.js';
import { type FlagSpecs, intFlag } from './flags.js';
import type { Logger } from './log.js';

export const DEFAULT_PORT = 4747;
export const DEFAULT_DATA_DIR = join(homedir(), '.filmgrain');

const d = DEFAULT_ENDPOINT_OPTIONS;
export const ENDPOINT_FLAGS = {
  host: {
    type: 'string',
    env: 'FILMGRAIN_HOST',
    default: '127.0.0.1',
    value: 'ADDR',
    help: 'address to listen on',
  },
  port: {
    type: 'string',
    env: 'FILMGRAIN_PORT',
    default: String(DEFAULT_PORT),
    value: 'N',
    help: 'port to listen on',
  },
  plain: {
    type: 'boolean',
    env: 'FILMGRAIN_PLAIN',
    help: 'plain TCP instead of TLS (development, or behind a TLS-terminating balancer)',
  },
  cert: {
    type: 'string',
    env: 'FILMGRAIN_CERT',
    value: 'FILE',
    help: 'TLS certificate chain (PEM); reloaded on SIGHUP',
  },
  key: {
    type: 'string',
    env: 'FILMGRAIN_KEY',
    value: 'FILE',
    help: 'TLS private key (PEM); reloaded on SIGHUP',
  },
  'data-dir': {
    type: 'string',
    env: 'FILMGRAIN_DATA_DIR',
    default: DEFAULT_DATA_DIR,
    value: 'DIR',
    help: 'where the development certificate is kept',
  },
  'max-connections': {
    type: 'string',
    env: 'FILMGRAIN_MAX_CONNECTIONS',
    default: String(d.maxConnections),
    value: 'N',
    help: 'connections held at most (0 = no limit)',
  },
  'max-connections-per-ip': {
    type: 'string',
    env: 'FILMGRAIN_MAX_CONNECTIONS_PER_IP',
    default: String(d.maxConnectionsPerIp),
    value: 'N',
    help: 'connections per client address (0 = no limit)',
  },
  'max-feeds': {
    type: 'string',
    env: 'FILMGRAIN_MAX_FEEDS',
    default: String(d.maxFeeds),
    value: 'N',
    help: 'feeds one connection may follow',
  },
  'max-outgoing-bytes': {
    type: 'string',
    env: 'FILMGRAIN_MAX_OUTGOING_BYTES',
    default: String(d.maxOutgoingBytes),
    value: 'N',
    help: 'bytes queued per client before it is cut off as a slow consumer',
  },
  'handshake-timeout': {
    type: 'string',
    env: 'FILMGRAIN_HANDSHAKE_TIMEOUT_MS',
    default: String(d.handshakeTimeoutMs),
    value: 'MS',
    help: 'connect must arrive within this',
  },
  'idle-timeout': {
    type: 'string',
    env: 'FILMGRAIN_IDLE_TIMEOUT_MS',
    default: String(d.idleTimeoutMs),
    value: 'MS',
    help: 'close after this long without a message',
  },
  'messages-per-second': {
    type: 'string',
    env: 'FILMGRAIN_MESSAGES_PER_SECOND',
    default: String(d.messagesPerSecond),
    value: 'N',
    help: 'client messages per second per connection',
  },
  'message-burst': {
    type: 'string',
    env: 'FILMGRAIN_MESSAGE_BURST',
    default: String(d.messageBurst),
    value: 'N',
    help: 'client messages allowed at once above the per-second rate',
  },
  'max-line-bytes': {
    type: 'string',
    env: 'FILMGRAIN_MAX_LINE_BYTES',
    default: String(d.maxLineBytes),
    value: 'N',
    help: 'longest client line accepted (line_too_long past it)',
  },
  'handshakes-per-second': {
    type: 'string',
    env: 'FILMGRAIN_HANDSHAKES_PER_SECOND',
    default: String(d.handshakesPerSecond),
    value: 'N',
    help: 'new connections (TLS handshakes) per second; excess closed before TLS (0 = no limit)',
  },
  'handshake-burst': {
    type: 'string',
    env: 'FILMGRAIN_HANDSHAKE_BURST',
    default: String(d.handshakeBurst),
    value: 'N',
    help: 'new connections allowed at once above the per-second rate',
  },
  'flush-window-max-ms': {
    type: 'string',
    env: 'FILMGRAIN_FLUSH_WINDOW_MAX_MS',
    default: String(d.flushWindowMaxMs),
    value: 'MS',
    help: 'longest coalescing window of live fan-out when busy (0 = none; PROTOCOL.md § 7)',
  },
  'auth-secret': {
    type: 'string',
    env: 'FILMGRAIN_AUTH_SECRET',
    value: 'SECRET',
    help: 'require connect tokens (HS256 JWT) signed with this secret (default: no auth)',
  },
  'auth-clock-skew': {
    type: 'string',
    env: 'FILMGRAIN_AUTH_CLOCK_SKEW',
    default: String(d.authClockSkewSeconds),
    value: 'S',
    help: 'seconds of clock difference tolerated on token exp/nbf',
  },
} as const satisfies FlagSpecs;

export interface EndpointFlags {
  host: string | undefined;
  port: string | undefined;
  plain: boolean;
  cert: string | undefined;
  key: string | undefined;
  'data-dir': string | undefined;
  'max-connections': string | undefined;
  'max-connections-per-ip': string | undefined;
  'max-feeds': string | undefined;
  'max-outgoing-bytes': string | undefined;
  'handshake-timeout': string | undefined;
  'idle-timeout': string | undefined;
  'messages-per-second': string | undefined;
  'message-burst': string | undefined;
  'max-line-bytes': string | undefined;
  'handshakes-per-second': string | undefined;
  'handshake-burst': string | undefined;
  'flush-window-max-ms': string | undefined;
  'auth-secret': string | undefined;
  'auth-clock-skew': string | undefined;
}

export interface RunningEndpoint {
  endpoint: Endpoint;
  listener: RunningListener;
  /** The CA file a client should trust (the dev certificate), when one was made. */
  caPath: string | undefined;
  stop(): Promise<void>;
}

function endpointOptions(f: EndpointFlags): Partial<EndpointOptions> {
  return {
    maxConnections: intFlag('max-connections', f['max-connections'], d.maxConnections),
    maxConnectionsPerIp: intFlag(
      'max-connections-per-ip',
      f['max-connections-per-ip'],
      d.maxConnectionsPerIp,
    ),
    maxFeeds: intFlag('max-feeds', f['max-feeds'], d.maxFeeds),
    maxOutgoingBytes: intFlag('max-outgoing-bytes', f['max-outgoing-bytes'], d.maxOutgoingBytes),
    handshakeTimeoutMs: intFlag('handshake-timeout', f['handshake-timeout'], d.handshakeTimeoutMs),
    idleTimeoutMs: intFlag('idle-timeout', f['idle-timeout'], d.idleTimeoutMs),
    messagesPerSecond: intFlag(
      'messages-per-second',
      f['messages-per-second'],
      d.messagesPerSecond,
    ),
    messageBurst: intFlag('message-burst', f['message-burst'], d.messageBurst),
    maxLineBytes: intFlag('max-line-bytes', f['max-line-bytes'], d.maxLineBytes),
    handshakesPerSecond: intFlag(
      'handshakes-per-second',
      f['handshakes-per-second'],
      d.handshakesPerSecond,
    ),
    handshakeBurst: intFlag('handshake-burst', f['handshake-burst'], d.handshakeBurst),
    flushWindowMaxMs: intFlag(
      'flush-window-max-ms',
      f['flush-window-max-ms'],
      d.flushWindowMaxMs,
    ),
    authSecret: authSecret(f['auth-secret']),
    authClockSkewSeconds: intFlag('auth-clock-skew', f['auth-clock-skew'], d.authClockSkewSeconds),
  };
}

/** HS256 keys shorter than the hash are brute-forceable (RFC 7518 § 3.2: at least 256 bits). */
function authSecret(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Buffer.byteLength(value) < 32)
    throw new Error('--auth-secret must be at least 32 bytes (RFC 7518 § 3.2)');
  return value;
}

async function readMaterial(certPath: string, keyPath: string): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readFile(certPath), readFile(keyPath)]);
  return { cert, key };
}

export async function runEndpoint(
  engine: Engine,
  flags: EndpointFlags,
  log: Logger,
): Promise<RunningEndpoint> {
  if ((flags.cert === undefined) !== (flags.key === undefined))
    throw new Error('--cert and --key go together');
  let certPath = flags.cert;
  let keyPath = flags.key;
  let caPath: string | undefined;
  if (!flags.plain && certPath === undefined) {
    const dev = await ensureDevCertificate(flags['data-dir'] ?? DEFAULT_DATA_DIR);
    if (dev.created) log.info('made a development certificate', { cert: dev.certPath });
    certPath = dev.certPath;
    keyPath = dev.keyPath;
    caPath = dev.certPath;
  }
  const endpoint = new Endpoint(engine, endpointOptions(flags));
  const listener = await listen(endpoint, {
    host: flags.host ?? '127.0.0.1',
    port: intFlag('port', flags.port, DEFAULT_PORT),
    ...(flags.plain ? {} : { tls: await readMaterial(certPath!, keyPath!) }),
  });
  const reload = () => {
    readMaterial(certPath!, keyPath!).then(
      (m) => {
        listener.setCertificate(m);
        log.info('certificate reloaded', { cert: certPath });
      },
      (err) => log.error('certificate reload failed; keeping the old one', { err }),
    );
  };
  // SIGHUP reloads a certificate given with --cert/--key (renewed on disk). With the
  // development certificate or plain TCP it keeps its default meaning — the terminal
  // went away — so `filmgrain start` in a closed terminal does not linger.
  const reloads = !flags.plain && flags.cert !== undefined;
  if (reloads) process.on('SIGHUP', reload);
  log.info('endpoint listening', { host: listener.host, port: listener.port, tls: listener.tls });
  return {
    endpoint,
    listener,
    caPath,
    async stop() {
      process.off('SIGHUP', reload);
      // Stop accepting first; `close` resolves only once every connection is gone.
      const closed = listener.close().catch(() => {});
      endpoint.closeAll(encodeLine(errorMessage('shutting_down', 'the endpoint is shutting down')));
      await endpoint.close();
      await closed;
    },
  };
}

/**
 * Builds and runs the endpoint half of a process: TLS material (given, or the
 * development certificate), the endpoint core and its listener, SIGHUP certificate
 * reload. Shared by `filmgrain start` and `filmgrain endpoint`. Options are declared
 * by the components (endpoint/options.ts, auth/options.ts); this file only wires.
 */
import { KeyError } from '../auth/keys.js';
import { AUTH_OPTIONS } from '../auth/options.js';
import { AuthConfigError, loadVerifier } from '../auth/verifier.js';
import { ensureDevCertificate } from '../endpoint/dev-cert.js';
import { encodeLine } from '../endpoint/encode.js';
import { Endpoint } from '../endpoint/endpoint.js';
import { listen } from '../endpoint/listener.js';
import type { RunningListener } from '../endpoint/listening.js';
import { ENDPOINT_LIMITS, LISTEN_OPTIONS, WEBSOCKET_OPTIONS } from '../endpoint/options.js';
import { listenWebSocket } from '../endpoint/websocket.js';
import type { Engine } from '../engine/engine.js';
import { defaultsOf } from '../options/declare.js';
import { errorMessage } from '../protocol/index.js';
import { type ParsedGroups, UsageError } from './flags.js';
import { listenError } from './listen-errors.js';
import type { Logger } from './log.js';
import { readTlsMaterial } from './tls-files.js';

export { DEFAULT_DATA_DIR } from '../endpoint/options.js';
export { DEFAULT_PORT } from '../protocol/index.js';

/** The option tables an endpoint process takes. */
export const ENDPOINT_GROUPS = {
  listen: LISTEN_OPTIONS,
  websocket: WEBSOCKET_OPTIONS,
  limits: ENDPOINT_LIMITS,
  auth: AUTH_OPTIONS,
} as const;
export type EndpointConfig = ParsedGroups<typeof ENDPOINT_GROUPS>;

export interface RunningEndpoint {
  endpoint: Endpoint;
  listener: RunningListener;
  /** The WebSocket transport, when offered (PROTOCOL.md § 12). */
  websocket: RunningWebSocket | undefined;
  /** The CA file a client should trust (the dev certificate), when one was made. */
  caPath: string | undefined;
  stop(): Promise<void>;
}

export interface RunningWebSocket {
  listener: RunningListener;
  /** Origins allowed; a command may add its own (start adds its web app's). */
  origins: Set<string>;
  /** The URL a client on this machine dials, e.g. ws://127.0.0.1:4749/. */
  localUrl: string;
}

/** How a command wants the WebSocket transport when its flags do not say. */
export interface WebSocketDefaults {
  /** Offer it (on `port`) unless --no-websocket; otherwise only with --ws-port. */
  offer: boolean;
  port: number;
  /**
   * Serve ws:// when the line listener uses the generated development certificate on
   * loopback: browsers refuse a self-signed wss://, and loopback needs no encryption.
   */
  plainWithDevCertOnLoopback: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function webSocketUrl(tls: boolean, host: string, port: number): string {
  return `${tls ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

export async function runEndpoint(
  engine: Engine,
  config: EndpointConfig,
  log: Logger,
  wsDefaults: WebSocketDefaults = { offer: false, port: 0, plainWithDevCertOnLoopback: false },
): Promise<RunningEndpoint> {
  const l = { ...defaultsOf(LISTEN_OPTIONS), ...config.listen };
  if ((l.cert === undefined) !== (l.key === undefined))
    throw new Error('--cert and --key go together');
  let certPath = l.cert;
  let keyPath = l.key;
  let caPath: string | undefined;
  if (!l.plain && certPath === undefined) {
    const dev = await ensureDevCertificate(l.dataDir);
    if (dev.created) log.info('made a development certificate', { cert: dev.certPath });
    certPath = dev.certPath;
    keyPath = dev.keyPath;
    caPath = dev.certPath;
  }
  const tls = l.plain ? undefined : await readTlsMaterial(certPath!, keyPath!);
  const auth = await loadVerifier(config.auth, { log }).catch((err: unknown) => {
    throw err instanceof AuthConfigError || err instanceof KeyError
      ? new UsageError((err as Error).message)
      : err;
  });
  if (auth?.remote !== undefined) {
    // Listening before the key set is in would refuse every RS256/ES256 token with the
    // fatal, never-retried `unauthorized`; not listening keeps the endpoint out of
    // endpoints.json (it registers after this) and clients go to its peers.
    log.info('waiting for the JWKS before listening', { url: config.auth.authJwksUrl });
    // The key set's retry timers are background (unref'd): this wait is what keeps the
    // process alive meanwhile.
    const alive = setInterval(() => {}, 60_000);
    await auth.ready().finally(() => clearInterval(alive));
  }
  const endpoint = new Endpoint(engine, {
    ...config.limits,
    auth,
    logLimit: (msg, fields) => log.warn(msg, fields),
  });
  const listener = await listen(endpoint, {
    host: l.host,
    port: l.port,
    ...(tls === undefined ? {} : { tls }),
  }).catch((err: unknown) => {
    auth?.close();
    throw listenError(err, 'endpoint', l.host, l.port, '--port');
  });
  const w = { ...defaultsOf(WEBSOCKET_OPTIONS), ...config.websocket };
  let websocket: RunningWebSocket | undefined;
  if (w.wsPort !== undefined || (wsDefaults.offer && !w.noWebsocket)) {
    const wsPort = w.wsPort ?? wsDefaults.port;
    const plain =
      l.plain ||
      w.wsPlain ||
      (wsDefaults.plainWithDevCertOnLoopback && caPath !== undefined && LOOPBACK.has(l.host));
    const origins = new Set(
      (w.wsOrigin ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    );
    const material = plain ? undefined : await readTlsMaterial(certPath!, keyPath!);
    const open = (port: number) =>
      listenWebSocket(endpoint, {
        host: l.host,
        port,
        origins,
        deflate: w.wsDeflate,
        ...(material === undefined ? {} : { tls: material }),
      });
    const wsListener = await open(wsPort).catch((err: NodeJS.ErrnoException) => {
      // An implicit port (--port + 2) that is taken moves to a free one, and says so;
      // one given with --ws-port is the operator's choice: refuse to start.
      if (w.wsPort === undefined && err.code === 'EADDRINUSE') {
        log.warn(
          `--port + 2 (${wsPort}) is in use; the WebSocket transport takes a free port (set --ws-port to choose)`,
        );
        return open(0);
      }
      throw listenError(err, 'WebSocket', l.host, wsPort, '--ws-port (or --no-websocket)');
    });
    websocket = {
      listener: wsListener,
      origins,
      localUrl: webSocketUrl(wsListener.tls, l.host, wsListener.port),
    };
    log.info('WebSocket transport listening', {
      url: websocket.localUrl,
      origins: [...origins],
      deflate: w.wsDeflate,
    });
  }
  const reload = () => {
    readTlsMaterial(certPath!, keyPath!).then(
      (m) => {
        listener.setCertificate(m);
        websocket?.listener.setCertificate(m);
        log.info('certificate reloaded', { cert: certPath });
      },
      (err) => log.error('certificate reload failed; keeping the old one', { err }),
    );
  };
  // SIGHUP reloads a certificate given with --cert/--key (renewed on disk). With the
  // development certificate or plain TCP it keeps its default meaning — the terminal
  // went away — so `filmgrain start` in a closed terminal does not linger.
  const reloads = !l.plain && l.cert !== undefined;
  if (reloads) process.on('SIGHUP', reload);
  log.info('endpoint listening', { host: listener.host, port: listener.port, tls: listener.tls });
  return {
    endpoint,
    listener,
    websocket,
    caPath,
    async stop() {
      process.off('SIGHUP', reload);
      // Stop accepting first; `close` resolves only once every connection is gone.
      const closed = Promise.all([listener.close(), websocket?.listener.close()]).catch(() => {});
      endpoint.closeAll(encodeLine(errorMessage('shutting_down', 'the endpoint is shutting down')));
      // Let the final lines reach clients whose sockets were backed up (at most 2 s).
      await endpoint.settle();
      await endpoint.close();
      await closed;
      auth?.close();
    },
  };
}

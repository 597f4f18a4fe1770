/**
 * `startEndpoint()`: a real endpoint on a real TLS port (0 = any free one) with the
 * in-process engine, for tests. Posts and rankings are injected through the engine,
 * exactly as the feeder does.
 */

import { LineClient } from '../../harness/line-client.js';
import { WsClient } from '../../harness/ws-client.js';
import { Endpoint } from '../../src/endpoint/endpoint.js';
import { listen } from '../../src/endpoint/listener.js';
import type { RunningListener } from '../../src/endpoint/listening.js';
import type { EndpointOptions } from '../../src/endpoint/options.js';
import { listenWebSocket } from '../../src/endpoint/websocket.js';
import type { Engine, IngestPost } from '../../src/engine/engine.js';
import { MemoryEngine } from '../../src/engine/memory.js';
import type { RankedMovie, Tweet } from '../../src/protocol/index.js';
import { testCertificate } from './certs.js';

/** The methods both test clients share (harness/line-client.ts, harness/ws-client.ts). */
export type ProtocolClient = Pick<
  LineClient,
  | 'send'
  | 'sendRaw'
  | 'next'
  | 'nextOf'
  | 'silentFor'
  | 'drain'
  | 'close'
  | 'closed'
  | 'pause'
  | 'resume'
  | 'localPort'
>;

/** The endpoint's transports; the session, bad-input and limit suites run over each. */
export const TRANSPORTS = ['line', 'websocket'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

export interface TestEndpoint<C extends ProtocolClient = LineClient> {
  engine: Engine;
  endpoint: Endpoint;
  listener: RunningListener;
  port: number;
  /** The port its clients dial: the line listener's, or the WebSocket one's. */
  clientPort: number;
  ca: Buffer | string;
  /** A connected (TLS) raw client, `connect` already sent and `set_movies` taken. */
  client(opts?: { connect?: boolean }): Promise<C>;
  close(): Promise<void>;
}

export const TEST_MOVIES: RankedMovie[] = [
  { id: 1, title: 'Dune: Part Two', year: 2024, count: 0, rank: 1 },
  { id: 2, title: 'Inside Out 2', year: 2024, count: 0, rank: 2 },
  { id: 3, title: 'Wicked', year: 2024, count: 0, rank: 3 },
];

/** Gives `engine` the ranking of TEST_MOVIES: what a client's first `set_movies` lists. */
export async function rankTestMovies(engine: Engine): Promise<void> {
  await engine.setRanking({ generatedAt: Date.now(), movies: TEST_MOVIES });
}

/** A fresh in-process engine ranking TEST_MOVIES, for endpoints that share it. */
export async function rankedEngine(): Promise<MemoryEngine> {
  const engine = new MemoryEngine();
  await rankTestMovies(engine);
  return engine;
}

/** An endpoint a test takes down itself (killableEndpoint). */
export interface KillableEndpoint {
  endpoint: Endpoint;
  listener: RunningListener;
  /** What the SDK dials: `tls://127.0.0.1:<port>` or `wss://127.0.0.1:<port>/`. */
  url: string;
  /** Stops accepting, then drops every session, as a crashed endpoint would. */
  kill(): Promise<void>;
}

/**
 * An endpoint on `engine` (often one shared by several, so each holds the history a
 * client resumes from) with one TLS listener for `transport`, on `port` (0: any free
 * one); `origins` is the WebSocket allow-list.
 */
export async function killableEndpoint(
  engine: Engine,
  transport: TransportName = 'line',
  { port = 0, origins = [] }: { port?: number; origins?: string[] } = {},
): Promise<KillableEndpoint> {
  const endpoint = new Endpoint(engine);
  const tls = await testCertificate();
  const listener =
    transport === 'line'
      ? await listen(endpoint, { host: '127.0.0.1', port, tls })
      : await listenWebSocket(endpoint, {
          host: '127.0.0.1',
          port,
          tls,
          origins: new Set(origins),
        });
  return {
    endpoint,
    listener,
    url:
      transport === 'line'
        ? `tls://127.0.0.1:${listener.port}`
        : `wss://127.0.0.1:${listener.port}/`,
    async kill() {
      // Stop accepting first, then drop the sessions (server.close waits for them).
      const closing = listener.close();
      await endpoint.close();
      await closing;
    },
  };
}

export type TestEndpointOptions = Partial<EndpointOptions> & { engine?: Engine; plain?: boolean };

export function startEndpoint(options: TestEndpointOptions = {}): Promise<TestEndpoint> {
  return startEndpointOn('line', options) as Promise<TestEndpoint>;
}

/**
 * The same endpoint, its clients speaking over `transport`: a wss:// (or ws://, with
 * `plain`) WebSocket listener beside the line one, and WsClients instead of LineClients.
 */
export async function startEndpointOn(
  transport: TransportName,
  options: TestEndpointOptions = {},
): Promise<TestEndpoint<ProtocolClient>> {
  const { engine = new MemoryEngine(), plain = false, ...endpointOptions } = options;
  await rankTestMovies(engine);
  const endpoint = new Endpoint(engine, endpointOptions);
  const material = await testCertificate();
  const listener = await listen(endpoint, {
    host: '127.0.0.1',
    port: 0,
    ...(plain ? {} : { tls: material }),
  });
  const ws =
    transport === 'websocket'
      ? await listenWebSocket(endpoint, {
          host: '127.0.0.1',
          port: 0,
          origins: new Set(),
          ...(plain ? {} : { tls: material }),
        })
      : undefined;
  const clients: ProtocolClient[] = [];
  return {
    engine,
    endpoint,
    listener,
    port: listener.port,
    clientPort: ws?.port ?? listener.port,
    ca: material.cert,
    async client({ connect = true } = {}) {
      const c: ProtocolClient =
        ws === undefined
          ? await LineClient.connect({
              port: listener.port,
              ...(plain ? {} : { ca: material.cert }),
            })
          : await WsClient.connect({
              url: `${plain ? 'ws' : 'wss'}://127.0.0.1:${ws.port}/`,
              ...(plain ? {} : { ca: material.cert }),
            });
      clients.push(c);
      if (connect) {
        c.send('connect', {});
        await c.nextOf('set_movies');
      }
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      await endpoint.close();
      await listener.close();
      await ws?.close();
      await engine.close();
    },
  };
}

let serial = 0;
/** A post about `movieIds`, fresh id each call. */
export function post(
  movieIds: number[],
  text = 'great movie',
  author = `user${serial}`,
): IngestPost {
  serial++;
  const tweet: Tweet = {
    id: `t${serial}`,
    text,
    user: { id: author, name: author },
    created_at: new Date().toISOString(),
    source: 'synthetic',
  };
  return { tweet, movieIds, at: Date.now() };
}

/**
 * A load-generator child process: holds up to a few thousand client connections to one
 * server (Filmgrain, the reference broadcast server or nats-server), each following one
 * movie, and measures what arrives. Driven over IPC by fanout.ts / conns.ts; clients
 * bind to many 127.x.y.z source addresses so ephemeral ports never run out.
 *
 * Per client it keeps a bitmap of the movie sequence numbers seen (lost, duplicated);
 * per process one HdrHistogram of injection → receipt latency in µs.
 */
import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import { encodeHistogram, newHistogram, nowUs } from './lib/hist.js';
import { scanMarks } from './lib/wire.js';

export type TargetKind = 'filmgrain' | 'reference' | 'nats';

export interface WorkerStart {
  type: 'start';
  target: TargetKind;
  host: string;
  port: number;
  tls: boolean;
  ca: string;
  /** The movie each client follows. */
  movies: number[];
  /** Source addresses to spread clients over. */
  localAddresses: string[];
  /** Reuse one TLS session for every connection (skips certificate work; fan-out runs). */
  resume: boolean;
  /** Connections opening at once. */
  concurrency: number;
  /** Filmgrain: protocol version sent in `connect` (default 1) and v2's `ranking_size`. */
  protocol?: 1 | 2;
  rankingSize?: number;
  /** Filmgrain over WebSocket (PROTOCOL.md § 12): the ws:// or wss:// URL to dial. */
  websocket?: string;
  /** WebSocket: offer permessage-deflate. */
  deflate?: boolean;
}
export type ToWorker =
  | WorkerStart
  | { type: 'report'; expected: Record<number, number> }
  | { type: 'storm' }
  /** Forget which clients got a warm-up post (conns.ts times each broadcast to all). */
  | { type: 'unwarm' }
  | { type: 'close' };

export interface WorkerResult {
  type: 'result';
  hist: string;
  deliveries: number;
  unique: number;
  duplicates: number;
  lost: number;
  firstUs: number;
  lastUs: number;
  closed: number;
  /** Data events after the warm-up: how many pieces the posts arrived in. */
  reads: number;
}
export type FromWorker =
  | { type: 'connected'; ok: number; failed: number; ms: number }
  | { type: 'progress'; warm: number; acked: Record<number, number>; closed: number }
  | WorkerResult
  | { type: 'stormed'; ok: number; failed: number; ms: number };

const send = (m: FromWorker) => process.send?.(m);

let cfg: WorkerStart;
/** What the worker needs of a client connection, raw socket or WebSocket. */
type Held = Pick<net.Socket, 'destroy'>;
let sockets: (Held | null)[] = [];
let leftover: (Buffer | null)[] = [];
let movieOf: Int32Array;
let warm: Uint8Array;
let maxSeq: Int32Array;
let uniq: Int32Array;
let seen: Uint8Array[] = [];
let closed = 0;
let reads = 0;
let deliveries = 0;
let duplicates = 0;
let firstUs = 0;
let lastUs = 0;
const hist = newHistogram();
let session: Buffer | undefined;
let progressTimer: NodeJS.Timeout | undefined;

function mark(i: number, phase: number, mseq: number, sentUs: number, now: number): void {
  if (phase === 0) {
    warm[i] = 1;
    return;
  }
  deliveries++;
  if (firstUs === 0) firstUs = now;
  lastUs = now;
  hist.recordValue(Math.max(1, now - sentUs));
  let bits = seen[i]!;
  const byte = mseq >> 3;
  if (byte >= bits.length) {
    const grown = new Uint8Array(Math.max(byte + 1, bits.length * 2));
    grown.set(bits);
    seen[i] = bits = grown;
  }
  const bit = 1 << (mseq & 7);
  if (bits[byte]! & bit) {
    duplicates++;
    return;
  }
  bits[byte] = bits[byte]! | bit;
  uniq[i] = uniq[i]! + 1;
  if (mseq > maxSeq[i]!) maxSeq[i] = mseq;
}

function onChunk(i: number, chunk: Buffer): void {
  const now = nowUs();
  if (firstUs !== 0) reads++;
  const found = (phase: number, _movie: number, mseq: number, sentUs: number) =>
    mark(i, phase, mseq, sentUs, now);
  const last = chunk.lastIndexOf(10);
  const prev = leftover[i];
  if (last === -1) {
    leftover[i] = prev ? Buffer.concat([prev, chunk]) : Buffer.from(chunk);
    return;
  }
  let start = 0;
  if (prev) {
    const first = chunk.indexOf(10);
    const head = Buffer.concat([prev, chunk.subarray(0, first + 1)]);
    scanMarks(head, 0, head.length, found);
    start = first + 1;
  }
  scanMarks(chunk, start, last + 1, found);
  leftover[i] = last + 1 < chunk.length ? Buffer.from(chunk.subarray(last + 1)) : null;
}

function filmgrainHello(i: number): [string, string] {
  const v2 =
    cfg.protocol === 2 ? `"version":2,"ranking_size":${cfg.rankingSize ?? 100}` : '"version":1';
  return [
    `{"action":"connect","params":{${v2},"client":{"name":"bench"}}}`,
    `{"action":"start_feed","params":{"movie_id":${movieOf[i]!}}}`,
  ];
}

function hello(i: number, s: net.Socket): void {
  const movie = movieOf[i]!;
  if (cfg.target === 'filmgrain') {
    const [connect, startFeed] = filmgrainHello(i);
    s.write(`${connect}\n${startFeed}\n`);
  } else if (cfg.target === 'reference') s.write(`sub ${movie}\n`);
  else s.write(`CONNECT {"verbose":false,"pedantic":false}\r\nSUB m.${movie} 1\r\n`);
}

function open(i: number): Promise<boolean> {
  return new Promise((resolve) => {
    const localAddress = cfg.localAddresses[i % cfg.localAddresses.length]!;
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      resolve(ok);
    };
    const ready = (s: net.Socket) => {
      sockets[i] = s;
      s.on('data', (chunk: Buffer) => onChunk(i, chunk));
      hello(i, s);
      finish(true);
    };
    const lost = (s: net.Socket) => {
      s.on('error', () => finish(false));
      s.on('close', () => {
        if (sockets[i] === s) {
          sockets[i] = null;
          closed++;
        }
        finish(false);
      });
    };
    if (cfg.websocket !== undefined) {
      // One message per frame: each is scanned whole (no line to reassemble).
      const ws = new WebSocket(cfg.websocket, {
        ca: cfg.ca,
        servername: 'localhost',
        localAddress,
        perMessageDeflate: cfg.deflate === true,
      } as WebSocket.ClientOptions);
      const held: Held = { destroy: () => ws.terminate() } as Held;
      ws.on('open', () => {
        sockets[i] = held;
        for (const m of filmgrainHello(i)) ws.send(m);
        finish(true);
      });
      ws.on('message', (data: Buffer) => {
        const now = nowUs();
        if (firstUs !== 0) reads++;
        scanMarks(data, 0, data.length, (phase, _movie, mseq, sentUs) =>
          mark(i, phase, mseq, sentUs, now),
        );
      });
      ws.on('error', () => finish(false));
      ws.on('close', () => {
        if (sockets[i] === held) {
          sockets[i] = null;
          closed++;
        }
        finish(false);
      });
      return;
    }
    const tlsOptions = {
      ca: cfg.ca,
      servername: 'localhost',
      ...(cfg.resume && session ? { session } : {}),
    };
    if (cfg.tls && cfg.target === 'nats') {
      // NATS 2.9 upgrades to TLS after its plain INFO line.
      const raw = net.connect({ host: cfg.host, port: cfg.port, localAddress });
      raw.on('error', () => finish(false));
      raw.once('data', () => {
        const s = tls.connect({ socket: raw, ...tlsOptions }, () => ready(s));
        s.on('session', (t: Buffer) => {
          session = t;
        });
        lost(s);
      });
      return;
    }
    if (cfg.tls) {
      // tls.connect hands localAddress to net.connect; @types/node omits it.
      const options: tls.ConnectionOptions & { localAddress: string } = {
        host: cfg.host,
        port: cfg.port,
        localAddress,
        ...tlsOptions,
      };
      const s = tls.connect(options, () => ready(s));
      s.on('session', (t: Buffer) => {
        session = t;
      });
      lost(s);
      return;
    }
    const s = net.connect({ host: cfg.host, port: cfg.port, localAddress }, () => ready(s));
    s.setNoDelay(true);
    lost(s);
  });
}

async function openAll(): Promise<{ ok: number; failed: number; ms: number }> {
  const t0 = performance.now();
  let next = 0;
  let ok = 0;
  let failed = 0;
  const n = movieOf.length;
  // The first connection alone, so later ones can resume its TLS session.
  if (n > 0) {
    if (await open(next++)) ok++;
    else failed++;
  }
  const lane = async () => {
    while (next < n) {
      if (await open(next++)) ok++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, lane));
  return { ok, failed, ms: performance.now() - t0 };
}

function progress(): void {
  const acked: Record<number, number> = {};
  let w = 0;
  for (let i = 0; i < movieOf.length; i++) {
    if (sockets[i] === null) continue; // cut clients do not hold the others back
    w += warm[i]!;
    const m = movieOf[i]!;
    const a = acked[m];
    if (a === undefined || maxSeq[i]! < a) acked[m] = maxSeq[i]!;
  }
  send({ type: 'progress', warm: w, acked, closed });
}

process.on('message', async (msg: ToWorker) => {
  switch (msg.type) {
    case 'start': {
      cfg = msg;
      const n = msg.movies.length;
      movieOf = Int32Array.from(msg.movies);
      warm = new Uint8Array(n);
      maxSeq = new Int32Array(n);
      uniq = new Int32Array(n);
      seen = Array.from({ length: n }, () => new Uint8Array(16));
      sockets = new Array(n).fill(null);
      leftover = new Array(n).fill(null);
      const r = await openAll();
      send({ type: 'connected', ...r });
      progressTimer = setInterval(progress, 20);
      return;
    }
    case 'report': {
      let unique = 0;
      let lost = 0;
      for (let i = 0; i < movieOf.length; i++) {
        unique += uniq[i]!;
        lost += Math.max(0, (msg.expected[movieOf[i]!] ?? 0) - uniq[i]!);
      }
      send({
        type: 'result',
        hist: encodeHistogram(hist),
        deliveries,
        unique,
        duplicates,
        lost,
        firstUs,
        lastUs,
        closed,
        reads,
      });
      return;
    }
    case 'unwarm':
      warm.fill(0);
      return;
    case 'storm': {
      // A reconnect storm: drop every connection at once, then open them all again
      // with full handshakes (no session reuse), as after an endpoint restart.
      clearInterval(progressTimer);
      for (const s of sockets) s?.destroy();
      sockets.fill(null);
      closed = 0;
      cfg = { ...cfg, resume: false };
      session = undefined;
      const r = await openAll();
      send({ type: 'stormed', ...r });
      progressTimer = setInterval(progress, 20);
      return;
    }
    case 'close':
      clearInterval(progressTimer);
      for (const s of sockets) s?.destroy();
      process.exit(0);
  }
});

/**
 * One fan-out measurement: start a server, connect the clients (child processes), warm
 * up until every client has received a post, inject the measured posts (as fast as the
 * clients keep up, or at a fixed rate), wait until everything arrived (or stopped
 * arriving), and collect the figures.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import type { FromWorker, TargetKind, ToWorker, WorkerResult } from '../client-worker.js';
import { decodeHistogram, type LatencySummary, newHistogram, nowUs, summarize } from './hist.js';
import { cpuSeconds, memory } from './proc.js';
import { type ProbeSample, ROOT, startTarget, type TargetOptions } from './targets.js';
import { benchTweet, deliveredLine, type Mark } from './wire.js';
import { type BenchMovie, clientMovies, postMovies, type Shape } from './workload.js';

export interface FanoutParams {
  target: TargetKind;
  /** The name in tables (e.g. `filmgrain-redis`); default the target kind. */
  label?: string;
  /** Filmgrain: the clients connect over WebSocket (the endpoint's § 12 transport). */
  websocket?: boolean;
  shape: Shape;
  tls: boolean;
  clients: number;
  workers: number;
  mode: 'max' | 'rate';
  /** Measured posts in `max` mode. */
  posts: number;
  /** Posts per second and seconds in `rate` mode. */
  rate: number;
  seconds: number;
  /** Posts in flight per movie in `max` mode (bounds what a client has queued). */
  window: number;
  /** Distinguishes source addresses and authors between runs. */
  runIndex: number;
  /**
   * The client processes' nice value in the measured phase (0: the server's own). Above
   * 0 the scheduler gives the server the core whenever it is runnable, so its event-loop
   * blocks are its own work, not time the load generators took from it.
   */
  clientNice?: number;
  /**
   * Filmgrain's clients: protocol version in `connect` (default 1: a full `set_movies`
   * each second the ranking changes, on top of the posts) and v2's `ranking_size`.
   * v2 without `live_cap` is still owed every post, so lost/dup stay comparable.
   */
  protocol?: 1 | 2;
  rankingSize?: number;
  movies: BenchMovie[];
  target_: Omit<TargetOptions, 'kind' | 'tls'>;
}

export interface FanoutResult extends LatencySummary {
  target: string;
  shape: Shape;
  transport: 'tls' | 'plain';
  clients: number;
  connected: number;
  posts: number;
  deliveries: number;
  deliveriesPerSec: number;
  lost: number;
  duplicated: number;
  cut: number;
  cpuPct: number;
  /** Server CPU seconds (user + system) over the measurement. */
  cpuSec: number;
  /** Server CPU µs per delivered post (one post reaching one client): the cost metric. */
  cpuUsPerDelivery: number;
  /** Reads (data events) the clients saw: about the TLS records/segments the server wrote. */
  reads: number;
  peakRssMiB: number;
  elMaxMs: number | null;
  /** The longest GC pause within it (part of elMaxMs when they coincide). */
  gcMaxMs: number | null;
  /** Its collector: minor (scavenge), major (mark-compact), incremental, weak. */
  gcMaxKind: string | null;
  /**
   * Filmgrain: flush passes during the measurement, and those after which a coalescing
   * window opened (its /metrics; null for other servers or an older checkout).
   */
  flushPasses: number | null;
  flushWindows: number | null;
  /** The largest JS heap seen, MiB (what a mark-compact has to walk). */
  peakHeapMiB: number | null;
  connectSec: number;
  measuredSec: number;
}

const GC_KINDS: Record<number, string> = { 1: 'minor', 4: 'major', 8: 'incremental', 16: 'weak' };

/** The sample with the longest GC pause (its length and its collector), if any. */
function worstGc(samples: readonly ProbeSample[]): ProbeSample | undefined {
  let worst: ProbeSample | undefined;
  for (const s of samples)
    if (worst === undefined || (s.gcMaxMs ?? 0) > (worst.gcMaxMs ?? 0)) worst = s;
  return worst;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spawnWorker(): ChildProcess {
  return fork(join(ROOT, 'bench/client-worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export async function runFanout(p: FanoutParams): Promise<FanoutResult> {
  const target = await startTarget({ ...p.target_, kind: p.target, tls: p.tls });
  const workers: ChildProcess[] = [];
  try {
    const movieOf = clientMovies(p.shape, p.movies, p.clients);
    const followed = new Set(movieOf);
    const titles = new Map(p.movies.map((m) => [m.id, m.title]));
    const per = Math.ceil(p.clients / p.workers);
    const progress: Extract<FromWorker, { type: 'progress' }>[] = [];
    const results: WorkerResult[] = [];
    let connected = 0;
    let connectMs = 0;
    const waiters: (() => void)[] = [];
    const wake = () => {
      for (const w of waiters.splice(0)) w();
    };
    const next = () => new Promise<void>((r) => waiters.push(r));
    for (let w = 0; w < p.workers; w++) {
      const child = spawnWorker();
      workers.push(child);
      child.on('message', (m: FromWorker) => {
        if (m.type === 'connected') {
          connected += m.ok;
          connectMs = Math.max(connectMs, m.ms);
          progress[w] = { type: 'progress', warm: 0, acked: {}, closed: 0 };
        } else if (m.type === 'progress') progress[w] = m;
        else if (m.type === 'result') results[w] = m;
        wake();
      });
      const start: ToWorker = {
        type: 'start',
        target: p.target,
        host: '127.0.0.1',
        port: target.port,
        tls: p.tls,
        ca: p.target_.ca,
        movies: movieOf.slice(w * per, (w + 1) * per),
        localAddresses: Array.from(
          { length: 40 },
          (_, k) => `127.${10 + (p.runIndex % 200)}.${w + 1}.${k + 1}`,
        ),
        resume: true,
        concurrency: 64,
        ...(p.protocol === 2 ? { protocol: 2, rankingSize: p.rankingSize ?? 100 } : {}),
        ...(p.websocket === true ? { websocket: target.websocket! } : {}),
      };
      child.send(start);
    }
    const deadline = (s: number) => Date.now() + s * 1000;
    let until = deadline(180);
    while (progress.filter(Boolean).length < p.workers) {
      if (Date.now() > until) throw new Error('clients did not connect in 180 s');
      await Promise.race([next(), sleep(1000)]);
    }
    const runTag = `${process.pid}-${p.runIndex}`;
    let g = 0;
    const sent = new Map<number, number>();
    const injectOne = (phase: number, movie: number) => {
      const mseq = phase === 0 ? 0 : (sent.get(movie) ?? 0) + 1;
      if (phase === 1) sent.set(movie, mseq);
      const m: Mark = { phase, movie, mseq, g: ++g, sentUs: nowUs() };
      const title = titles.get(movie)!;
      target.inject(movie, benchTweet(m, title, runTag), deliveredLine(m, title, runTag));
    };
    // Warm-up: a post to every followed movie every 200 ms until every client has one.
    until = deadline(60);
    const warmCount = () => progress.reduce((a, x) => a + (x?.warm ?? 0), 0);
    while (warmCount() < connected) {
      if (Date.now() > until)
        throw new Error(
          `only ${warmCount()}/${connected} clients warm: ${JSON.stringify(progress)}`,
        );
      for (const m of followed) injectOne(0, m);
      await sleep(200);
    }
    // Only the measured phase: at a lower priority during the warm-up, clients starved
    // behind the server's first broadcasts missed its 60 s deadline.
    for (const w of workers)
      if ((p.clientNice ?? 0) !== 0 && w.pid !== undefined) setPriority(w.pid, p.clientNice ?? 0);
    await sleep(300);
    const acked = (movie: number) => {
      let a = Number.POSITIVE_INFINITY;
      for (const x of progress) {
        const v = x?.acked[movie];
        if (v !== undefined && v < a) a = v;
      }
      return a;
    };
    const plan = postMovies(
      p.shape,
      p.movies,
      followed,
      p.mode === 'max' ? p.posts : Math.round(p.rate * p.seconds),
    );
    const metrics0 = (await target.metrics?.()) ?? null;
    const cpu0 = cpuSeconds(target.pid);
    const t0 = nowUs();
    let i = 0;
    if (p.mode === 'max') {
      until = deadline(120);
      while (i < plan.length && Date.now() < until) {
        while (i < plan.length) {
          const movie = plan[i]!;
          if ((sent.get(movie) ?? 0) - acked(movie) >= p.window) break;
          injectOne(1, movie);
          i++;
        }
        await Promise.race([next(), sleep(100)]);
      }
    } else {
      const startMs = performance.now();
      while (i < plan.length) {
        const due = Math.min(
          plan.length,
          Math.floor(((performance.now() - startMs) * p.rate) / 1000),
        );
        while (i < due) injectOne(1, plan[i++]!);
        await sleep(2);
      }
    }
    await target.drained();
    // Drain: until every live client has every post, or nothing moved for 5 s.
    let lastMove = Date.now();
    let lastSum = -1;
    for (;;) {
      let behind = 0;
      let sum = 0;
      for (const [movie, s] of sent) {
        const a = acked(movie);
        if (a < s) behind++;
        if (Number.isFinite(a)) sum += a;
      }
      if (behind === 0) break;
      if (sum !== lastSum) {
        lastSum = sum;
        lastMove = Date.now();
      } else if (Date.now() - lastMove > 5000) break;
      await Promise.race([next(), sleep(100)]);
    }
    const t1 = nowUs();
    const cpu1 = cpuSeconds(target.pid);
    const mem = memory(target.pid);
    const metrics1 = (await target.metrics?.()) ?? null;
    const moved = (name: string): number | null => {
      const a = metrics0?.get(name);
      const b = metrics1?.get(name);
      return a === undefined || b === undefined ? null : b - a;
    };
    const expected: Record<number, number> = Object.fromEntries(sent);
    for (const w of workers) w.send({ type: 'report', expected } satisfies ToWorker);
    until = deadline(30);
    while (results.filter(Boolean).length < p.workers && Date.now() < until)
      await Promise.race([next(), sleep(200)]);
    const hist = newHistogram();
    let deliveries = 0;
    let lost = 0;
    let duplicated = 0;
    let cut = 0;
    let reads = 0;
    let lastUs = t0;
    for (const r of results) {
      hist.add(decodeHistogram(r.hist));
      deliveries += r.deliveries;
      lost += r.lost;
      duplicated += r.duplicates;
      cut += r.closed;
      reads += r.reads;
      lastUs = Math.max(lastUs, r.lastUs);
    }
    await sleep(300); // one more probe window, covering the end of the measurement
    const el = target.samples.filter((s) => s.t >= t0 && s.t <= t1 + 300_000);
    const gc = worstGc(el);
    const activeSec = Math.max(1e-6, (lastUs - t0) / 1e6);
    return {
      target: p.label ?? p.target,
      shape: p.shape,
      transport: p.tls ? 'tls' : 'plain',
      clients: p.clients,
      connected,
      posts: i,
      deliveries,
      deliveriesPerSec: Math.round(deliveries / activeSec),
      ...summarize(hist),
      lost,
      duplicated,
      cut,
      cpuPct: Math.round(((cpu1 - cpu0) / ((t1 - t0) / 1e6)) * 100),
      cpuSec: Math.round((cpu1 - cpu0) * 100) / 100,
      cpuUsPerDelivery:
        deliveries === 0
          ? Number.NaN
          : Math.round(((cpu1 - cpu0) / deliveries) * 1e6 * 1000) / 1000,
      reads,
      peakRssMiB: Math.round(mem.peakRss / 2 ** 20),
      elMaxMs: el.length === 0 ? null : Math.round(Math.max(...el.map((s) => s.elMaxMs)) * 10) / 10,
      gcMaxMs: gc === undefined ? null : Math.round((gc.gcMaxMs ?? 0) * 10) / 10,
      // Kind 0: no pause was seen in the run.
      gcMaxKind: gc?.gcMaxKind ? (GC_KINDS[gc.gcMaxKind] ?? 'other') : null,
      flushPasses: moved('filmgrain_flush_passes_total'),
      flushWindows: moved('filmgrain_flush_windows_opened_total'),
      peakHeapMiB:
        el.length === 0 ? null : Math.round(Math.max(...el.map((s) => s.heapUsed ?? 0)) / 2 ** 20),
      connectSec: Math.round(connectMs / 100) / 10,
      measuredSec: Math.round(activeSec * 10) / 10,
    };
  } finally {
    for (const w of workers) {
      if (w.connected) w.send({ type: 'close' } satisfies ToWorker);
      setTimeout(() => w.kill('SIGKILL'), 2000).unref();
    }
    await target.stop();
  }
}

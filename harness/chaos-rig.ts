/**
 * The chaos rig (issue 8 §5), shared by test/chaos/chaos.test.ts (short, in CI) and
 * bench/soak/soak.ts (long, on request): one redis-server of its own, one feeder fed
 * posts on its stdin at a steady pace, endpoints on fixed spare ports (so a killed one
 * can come back where clients look for it), SDK clients that record every post, and
 * readers for what the rest of the system holds (Redis history, /proc of a process).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createClient } from '@redis/client';
import { createClient as createFilmgrainClient, type FilmgrainClient } from '../src/client/node.js';
import { RedisKeys } from '../src/store/redis/keys.js';
import {
  type CliProcess,
  postLine,
  startCli,
  startEndpointProcess,
  startFeederProcess,
} from './processes.js';
import { RedisServer, sparePort } from './redis-servers.js';

/** Movies the writer posts about (data/catalog.json), each text naming exactly one. */
export const MOVIES = [
  { id: 693134, title: 'Dune: Part Two' },
  { id: 872585, title: 'Oppenheimer' },
  { id: 1022789, title: 'Inside Out 2' },
] as const;

// ---- /proc readers (Linux) ----

/** Resident set size of a process, bytes (VmRSS of /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  if (m === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** Open file descriptors of a process (entries of /proc/<pid>/fd). */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Is the process alive and not a zombie? */
export function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

// ---- history in Redis ----

export interface HistoryEntry {
  postId: string;
  tweetId: string;
}

/** Every entry of each movie's history stream, oldest first (a fresh connection). */
export async function readHistory(
  redisUrl: string,
  deployment: string,
  movies: readonly number[] = MOVIES.map((m) => m.id),
): Promise<Map<number, HistoryEntry[]>> {
  const keys = new RedisKeys(deployment);
  const client = createClient({ url: redisUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const out = new Map<number, HistoryEntry[]>();
    for (const id of movies) {
      const entries = await client.xRange(keys.history(id), '-', '+');
      out.set(
        id,
        (entries ?? []).map((e) => ({
          postId: e.id,
          tweetId: (JSON.parse(String(e.message.t)) as { id: string }).id,
        })),
      );
    }
    return out;
  } finally {
    client.destroy();
  }
}

// ---- processes ----

export interface EndpointProc {
  proc: CliProcess;
  port: number;
  pid: number;
}

export async function startEndpoint(
  redisUrl: string,
  deployment: string,
  port: number,
  extra: string[] = [],
): Promise<EndpointProc> {
  // Registry heartbeat short so a killed endpoint's entry is gone quickly (not needed
  // by the SDK clients here, which use a fixed host list, but closer to production).
  const ep = await startEndpointProcess(redisUrl, deployment, [
    '--port',
    String(port),
    '--heartbeat',
    '500',
    ...extra,
  ]);
  return { proc: ep.proc, port: ep.port, pid: ep.proc.child.pid! };
}

/**
 * Writes posts to the current feeder's stdin at a steady pace. A post is "published"
 * once written to a live feeder; while there is none (restart) the writer skips ticks.
 * Each post has a unique id and a unique author (the per-author cap is 3/movie/hour).
 */
export class PostWriter {
  feeder: CliProcess | null = null;
  /** tweet id → movie id, for every post written to a feeder. */
  readonly published = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private n = 0;

  constructor(
    private readonly prefix: string,
    private readonly perSecond: number,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.tick(), Math.round(1000 / this.perSecond));
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const feeder = this.feeder;
    if (feeder === null || feeder.child.exitCode !== null || feeder.child.signalCode !== null)
      return;
    const i = this.n++;
    const movie = MOVIES[i % MOVIES.length]!;
    const id = `${this.prefix}-${i}`;
    feeder.write(postLine(id, `${movie.title} thoughts, take ${i}`, `u-${id}`));
    this.published.set(id, movie.id);
  }
}

export async function startFeeder(redisUrl: string, deployment: string): Promise<CliProcess> {
  return startFeederProcess(redisUrl, deployment);
}

export { type CliProcess, RedisServer, sparePort, startCli };

// ---- SDK clients that record what they get ----

export interface Received {
  postId: string;
  tweetId: string;
  /** The server marked this post `gap`: posts before it may be missing. */
  gap?: boolean;
}

export class RecordingClient {
  readonly client: FilmgrainClient;
  /** movie id → posts in arrival order. */
  readonly posts = new Map<number, Received[]>();
  gaps = 0;

  constructor(
    readonly name: string,
    endpoints: { port: number }[],
    readonly movies: number[],
    timing: { pingIntervalMs: number; deadAfterMs: number },
  ) {
    this.client = createFilmgrainClient({
      endpoints: endpoints.map(({ port }) => ({ host: '127.0.0.1', port, tls: false })),
      client: { name },
      pingIntervalMs: timing.pingIntervalMs,
      deadAfterMs: timing.deadAfterMs,
      connectTimeoutMs: 2000,
      backoff: { baseMs: 50, capMs: 500, factor: 2 },
      stableAfterMs: 1000,
    });
    this.client.on('error', () => {}); // reported through state changes; expected here
    this.client.on('post', (p) => {
      if (p.gap) this.gaps++;
      const list = this.posts.get(p.movieId) ?? [];
      list.push({ postId: p.postId, tweetId: p.tweet.id, ...(p.gap ? { gap: true } : {}) });
      this.posts.set(p.movieId, list);
    });
    for (const m of movies) this.client.follow(m);
  }

  get port(): number | undefined {
    const m = this.client.endpoint?.match(/:(\d+)$/);
    return this.client.state === 'connected' && m ? Number(m[1]) : undefined;
  }

  /** Has every tweet of `expected` (per movie) for the movies it follows. */
  hasAll(expected: Map<number, Set<string>>): boolean {
    for (const m of this.movies) {
      const want = expected.get(m);
      if (want === undefined || want.size === 0) continue;
      const got = new Set((this.posts.get(m) ?? []).map((p) => p.tweetId));
      for (const id of want) if (!got.has(id)) return false;
    }
    return true;
  }
}

// ---- what each client got, against what was written ----

/**
 * Per client over its movies, against posts written (tweet id → movie): lost = never
 * received and not covered by a later post marked `gap`; flagged = never received, but
 * a later received post carries `gap: true`; duplicated = received more than once.
 */
export interface DeliveryFigures {
  name: string;
  lost: number;
  flagged: number;
  duplicated: number;
}

/** Written order of a tweet id (`<prefix>-<n>`, PostWriter). */
const seq = (tweetId: string) => Number(tweetId.slice(tweetId.lastIndexOf('-') + 1));

export function tweetsByMovie(published: Map<string, number>): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const [id, m] of published) {
    const set = out.get(m) ?? new Set();
    set.add(id);
    out.set(m, set);
  }
  return out;
}

/**
 * One client's figures over its followed movies. A missing post counts as flagged when
 * the client received, for that movie, a post marked `gap` written after it: the
 * client was told posts before that one may be missing (and can re-read or re-render).
 */
export function countClient(c: RecordingClient, published: Map<string, number>): DeliveryFigures {
  let lost = 0;
  let flagged = 0;
  let duplicated = 0;
  const byMovie = tweetsByMovie(published);
  for (const m of c.movies) {
    const got = c.posts.get(m) ?? [];
    const ids = new Set(got.map((p) => p.tweetId));
    duplicated += got.length - ids.size;
    const gapSeqs = got.filter((p) => p.gap).map((p) => seq(p.tweetId));
    for (const id of byMovie.get(m) ?? []) {
      if (ids.has(id)) continue;
      if (gapSeqs.some((g) => g > seq(id))) flagged++;
      else lost++;
    }
  }
  return { name: c.name, lost, flagged, duplicated };
}

/**
 * Real `filmgrain feeder` / `filmgrain endpoint` processes for cross-process tests:
 * through tsx when the tests run from source (this file is .ts), from `dist/` otherwise
 * (see test/support/process.ts). Every process started is killed by `killAll()`.
 */
import { LineClient, type Message } from './line-client.js';
import { type CliProcess, startCli } from './process.js';

export { CliProcess, killAll, startCli } from './process.js';

/**
 * How long a process may take to say it is up. Idle, ~1 s; measured 21 s for a feeder
 * with eight test suites sharing 2 cores (load 37): a slow start is not the failure
 * these tests look for.
 */
const START_MS = 60_000;

/**
 * `filmgrain endpoint` on a free port: plain TCP, or TLS with `tls` (a certificate and
 * key file); resolves with its port and id once it listens.
 */
export async function startEndpointProcess(
  redis: string,
  deployment: string,
  extra: string[] = [],
  tls?: { certPath: string; keyPath: string },
): Promise<{ proc: CliProcess; port: number; id: string }> {
  const proc = startCli([
    'endpoint',
    '--redis',
    redis,
    '--deployment',
    deployment,
    '--port',
    '0',
    ...(tls === undefined ? ['--plain'] : ['--cert', tls.certPath, '--key', tls.keyPath]),
    ...extra,
  ]);
  const m = await proc.waitFor(
    /endpoint (\S+) listening on (?:tcp|tls):\/\/127\.0\.0\.1:(\d+)/,
    START_MS,
  );
  return { proc, id: m[1]!, port: Number(m[2]) };
}

/** `filmgrain feeder` reading normalized posts from its stdin (write them with `post`). */
export async function startFeederProcess(
  redis: string,
  deployment: string,
  extra: string[] = [],
): Promise<CliProcess> {
  const proc = startCli([
    'feeder',
    '--redis',
    redis,
    '--deployment',
    deployment,
    '--source',
    'replay',
    '--replay',
    '-',
    ...extra,
  ]);
  await proc.waitFor(/filmgrain feeder running/, START_MS);
  return proc;
}

/** Catalog ids the posts below match (data/catalog.json). */
export const OPPENHEIMER = 872585;
export const DUNE_2 = 693134;

/** One normalized post line for the replay source. */
export function postLine(id: string, text: string, author = `a-${id}`): string {
  return JSON.stringify({
    id,
    text,
    user: { id: author, name: author },
    created_at: new Date().toISOString(),
    source: 'replay',
  });
}

/** A protocol client that keeps every message it receives. */
export class Watcher {
  readonly posts: { movie_id: number; post_id: string; id: string; gap?: boolean }[] = [];
  readonly rankings: { id: number; count: number }[][] = [];
  readonly other: Message[] = [];
  private done = false;

  private constructor(readonly client: LineClient) {
    void this.pump();
  }

  static async open(port: number): Promise<Watcher> {
    const client = await LineClient.connect({ port });
    client.send('connect', {});
    return new Watcher(client);
  }

  startFeed(movieId: number, since?: string): void {
    this.client.send(
      'start_feed',
      since === undefined ? { movie_id: movieId } : { movie_id: movieId, since },
    );
  }

  private async pump(): Promise<void> {
    while (!this.done) {
      let m: Message | null;
      try {
        m = await this.client.next(60_000);
      } catch {
        continue;
      }
      if (m === null) return;
      const p = m.params;
      if (m.action === 'post_tweet') {
        const tweet = p.tweet as { id: string };
        this.posts.push({
          movie_id: p.movie_id as number,
          post_id: p.post_id as string,
          id: tweet.id,
          ...(p.gap === true ? { gap: true } : {}),
        });
      } else if (m.action === 'set_movies') {
        this.rankings.push(
          (p.movies as { id: number; count: number }[]).map(({ id, count }) => ({ id, count })),
        );
      } else this.other.push(m);
    }
  }

  /** The connection is still open. */
  get open(): boolean {
    return !this.client.socket.destroyed;
  }

  close(): void {
    this.done = true;
    this.client.close();
  }
}

/**
 * `filmgrain start` as a new user runs it, and a client that knows only PROTOCOL.md:
 * a raw TLS socket, the seed's example session, then Ctrl-C.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LineClient } from '../../harness/line-client.js';
import { startCli } from '../../harness/process.js';

test("filmgrain start serves the seed's example session to a raw TLS client and stops on SIGINT", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'filmgrain-start-'));
  const proc = startCli(['start', '--port', '0', '--data-dir', dataDir, '--rate', '200']);
  try {
    const [, port] = await proc.waitFor(/endpoint\s+tls:\/\/127\.0\.0\.1:(\d+)/);
    await proc.waitFor(/filmgrain watch .*--ca /);
    const ca = readFileSync(join(dataDir, 'dev-cert.pem'));
    const c = await LineClient.connect({ port: Number(port), ca });

    c.send('connect', {});
    const first = await c.next(5000);
    assert.equal(first?.action, 'set_movies');
    const movies = first?.params.movies as {
      id: number;
      title: string;
      count: number;
      rank: number;
    }[];
    assert.ok(movies.length >= 60, 'the shipped catalog has at least 60 films');
    for (const m of movies) {
      assert.equal(typeof m.id, 'number');
      assert.equal(typeof m.title, 'string');
      assert.equal(typeof m.count, 'number');
    }
    assert.deepEqual(
      movies.map((m) => m.rank),
      movies.map((_, i) => i + 1),
    );
    // Counts are in rank order.
    for (let i = 1; i < movies.length; i++) assert.ok(movies[i - 1]!.count >= movies[i]!.count);

    // Follow a movie that has posts (the very first ranking may still be all zeros):
    // its backlog arrives at once.
    let ranked = movies;
    while (ranked[0]!.count === 0)
      ranked = (await c.nextOf('set_movies', 10_000)).params.movies as typeof movies;
    const top = ranked[0]!.id;
    c.send('start_feed', { movie_id: top });
    const p = await c.nextOf('post_tweet', 15_000);
    assert.equal(p.params.movie_id, top);
    const tweet = p.params.tweet as {
      id: string;
      text: string;
      user: { id: string };
      created_at: string;
    };
    assert.equal(typeof tweet.text, 'string');
    assert.ok(!Number.isNaN(Date.parse(tweet.created_at)));

    // A pushed set_movies follows within a few seconds as counts change.
    await c.nextOf('set_movies', 10_000);

    c.send('stop_feed', { movie_id: top });
    c.send('ping', { ts: 1 });
    await c.nextOf('pong');
    c.drain();
    // After stop_feed only rankings (and pongs) may arrive.
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const m = await c.next(until - Date.now()).catch(() => null);
      if (m === null) break;
      assert.notEqual(m.action, 'post_tweet');
    }

    proc.kill('SIGINT');
    const closing = await c.nextOf('error', 10_000);
    assert.equal(closing.params.code, 'shutting_down');
    assert.equal(await proc.exited, 0);
    assert.match(proc.stdout, /Filmgrain stopped\./);
  } finally {
    proc.kill('SIGKILL');
  }
});

test('SIGHUP (the terminal closed) stops a development `filmgrain start` cleanly', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'filmgrain-hup-'));
  const proc = startCli(['start', '--port', '0', '--data-dir', dataDir]);
  try {
    await proc.waitFor(/Ctrl-C stops/);
    proc.kill('SIGHUP');
    assert.equal(await proc.exited, 0);
    assert.match(proc.stdout, /Filmgrain stopped\./);
  } finally {
    proc.kill('SIGKILL');
  }
});

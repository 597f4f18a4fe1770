/** A running `filmgrain start` picks up a changed catalog file without a restart. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LineClient } from '../../harness/line-client.js';
import { ROOT, startCli } from '../../harness/process.js';

test('a changed catalog reaches clients as a new set_movies, no restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'filmgrain-catalog-'));
  const shipped = JSON.parse(readFileSync(join(ROOT, 'data/catalog.json'), 'utf8')) as {
    movies: { id: number; title: string }[];
  };
  const path = join(dir, 'catalog.json');
  writeFileSync(path, JSON.stringify({ movies: shipped.movies.slice(0, 3) }));
  const proc = startCli(['start', '--port', '0', '--plain', '--catalog', path, '--rate', '5']);
  try {
    const [, port] = await proc.waitFor(/endpoint\s+tcp:\/\/127\.0\.0\.1:(\d+)/);
    const c = await LineClient.connect({ port: Number(port) });
    c.send('connect', {});
    const ids = (m: { params: Record<string, unknown> }) =>
      (m.params.movies as { id: number }[]).map((x) => x.id).sort((a, b) => a - b);
    let m = await c.nextOf('set_movies', 10_000);
    while (ids(m).length === 0) m = await c.nextOf('set_movies', 10_000);
    assert.equal(ids(m).length, 3);

    const added = { id: 999_999_001, title: 'A Film Added While Running', year: 2026 };
    writeFileSync(path, JSON.stringify({ movies: [...shipped.movies.slice(0, 3), added] }));
    const deadline = Date.now() + 15_000;
    do m = await c.nextOf('set_movies', Math.max(1, deadline - Date.now()));
    while (!ids(m).includes(added.id));
    const shown = (m.params.movies as { id: number; title: string }[]).find(
      (x) => x.id === added.id,
    );
    assert.equal(shown?.title, added.title);
    // The endpoint now knows the movie: following it is no error.
    c.send('start_feed', { movie_id: added.id });
    c.send('ping', { ts: 5 });
    // The feed's start (`feed_started`, after its empty backlog) and the pong, in either
    // order (the pong does not wait for the history read); no error between.
    const replies = new Set<string>();
    while (!replies.has('pong') || !replies.has('feed_started')) {
      const reply = await c.next(5000);
      assert.ok(reply !== null && reply.action !== 'error', JSON.stringify(reply));
      if (reply.action !== 'set_movies') replies.add(reply.action);
    }
    c.close();
  } finally {
    await proc.kill('SIGKILL');
  }
});

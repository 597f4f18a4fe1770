import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, type Post } from '../../src/client/node.js';
import { post, startEndpoint } from '../support/endpoint.js';

test('connects over TLS with a CA, receives the ranking and followed posts', async () => {
  const ep = await startEndpoint();
  const client = createClient({ host: '127.0.0.1', port: ep.port, ca: ep.ca });
  try {
    const states: string[] = [];
    client.on('state', (s) => states.push(`${s.from}>${s.to}`));
    const ranking = client.once('ranking');
    await client.connect();
    assert.equal((await ranking).movies[0]?.title, 'Dune: Part Two');
    const posts: Post[] = [];
    client.on('post', (p) => posts.push(p));
    client.follow(1);
    await new Promise((r) => setTimeout(r, 50));
    await ep.engine.ingest([post([1], 'hello dune'), post([2], 'other')]);
    await client.once('post');
    assert.deepEqual(
      posts.map((p) => [p.movieId, p.tweet.text]),
      [[1, 'hello dune']],
    );
    assert.deepEqual(states, ['idle>connecting', 'connecting>connected']);
  } finally {
    await client.close();
    await ep.close();
  }
});

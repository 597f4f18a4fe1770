/**
 * Redis Cluster failover (issue 15), short form in `npm test`: 3 masters + 3 replicas
 * with cluster-node-timeout 2 s, `kill -9` of the master holding two followed movies
 * while posts flow (failover.ts has the scenario and how each figure is counted). Every
 * post written must reach history, and every client must get each post of its movies
 * exactly once, or be told with `gap` — zero lost, zero duplicated. The repeated runs
 * with the default node timeout (15 s) are `npm run chaos:failover`.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runFailover, summary } from './failover.js';

it('Cluster failover (kill -9 a master, replica promoted): no post lost or duplicated, at ingest or at any client', {
  timeout: 240_000, // ~40 s idle (cluster start 11 s); the cluster took 42 s to start at load 44
}, async (t) => {
  const f = await runFailover({ nodeTimeoutMs: 2000, log: (s) => t.diagnostic(s) });
  t.diagnostic(summary(f));
  assert.ok(
    f.writtenDuringFailover > 0,
    'posts for the killed shard were written during the failover',
  );
  assert.equal(f.ingestLost, 0, 'posts written but never appended to history');
  assert.equal(f.historyDuplicates, 0, 'a post appended twice');
  for (const c of f.clients) {
    assert.equal(c.lost, 0, `${c.name}: posts missed without gap`);
    assert.equal(c.duplicated, 0, `${c.name}: posts received twice`);
  }
});

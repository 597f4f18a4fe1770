/**
 * Repeated Redis Cluster failovers, opt-in (issue 15): `npm run chaos:failover --
 * --runs 4` runs the scenario of failover.ts (3 masters + 3 replicas, kill -9 of the
 * master holding two followed movies) with the server's default cluster-node-timeout
 * (15 s) unless `--node-timeout MS` is given, and prints per run the promotion time
 * and per client lost / flagged / duplicated, then the totals. Exits 1 if any post was
 * lost (at ingest or at a client without `gap`) or duplicated.
 *
 * Options: --runs N (4), --node-timeout MS (server default), --clients N (12),
 * --posts N (posts/s, 30), --after MS (writing after the promotion, 3000).
 */
import { parseArgs } from 'node:util';
import { runFailover, summary } from './failover.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '4' },
    'node-timeout': { type: 'string' },
    clients: { type: 'string', default: '12' },
    posts: { type: 'string', default: '30' },
    after: { type: 'string', default: '3000' },
  },
});
const runs = Number(values.runs);
const nodeTimeout = values['node-timeout'];
let bad = 0;
const totals = { ingestLost: 0, lost: 0, flagged: 0, duplicated: 0, written: 0 };
for (let i = 1; i <= runs; i++) {
  let f: Awaited<ReturnType<typeof runFailover>>;
  try {
    f = await runFailover({
      ...(nodeTimeout === undefined ? {} : { nodeTimeoutMs: Number(nodeTimeout) }),
      clients: Number(values.clients),
      postsPerSecond: Number(values.posts),
      afterMs: Number(values.after),
      settleMs: 20_000,
    });
  } catch (err) {
    console.log(`run ${i}/${runs}: did not complete: ${(err as Error).message.split('\n')[0]}`);
    bad++;
    continue;
  }
  console.log(`run ${i}/${runs}: ${summary(f)}`);
  totals.written += f.written;
  totals.ingestLost += f.ingestLost;
  for (const c of f.clients) {
    totals.lost += c.lost;
    totals.flagged += c.flagged;
    totals.duplicated += c.duplicated;
  }
  if (f.ingestLost + f.historyDuplicates > 0 || f.clients.some((c) => c.lost + c.duplicated > 0))
    bad++;
}
console.log(
  `${runs} runs, cluster-node-timeout ${nodeTimeout ?? 'default (15000)'} ms: ${totals.written} posts written, ` +
    `ingest lost ${totals.ingestLost}; over all clients lost ${totals.lost}, flagged ${totals.flagged}, ` +
    `duplicated ${totals.duplicated}; runs with a loss or duplicate: ${bad}`,
);
process.exit(bad > 0 ? 1 : 0);

/**
 * Redis Cluster failover under load (issue 15): 3 masters + 3 replicas, one feeder fed
 * a steady stream of posts on stdin, two endpoints, SDK clients each following two of
 * the three movies. `kill -9` the master that holds two followed movies (not the one
 * holding the counts `{c}`, so counting keeps working while those movies' history
 * shard is gone), wait for its replica to be promoted, keep writing, then count.
 *
 * Per client and movie, against every post written to the feeder for that movie:
 * - lost: never received and not covered by a later post marked `gap` (nobody told);
 * - flagged: never received, but a later received post carries `gap: true`;
 * - duplicated: received more than once.
 * And for the store: posts written but never appended to history (ingest loss).
 *
 * Used by failover.test.ts (one short run in `npm test`) and failover-runs.ts (the
 * opt-in repeated runs with the default cluster-node-timeout: `npm run chaos:failover`).
 */

import {
  countClient,
  type DeliveryFigures,
  MOVIES,
  PostWriter,
  RecordingClient,
  readHistory,
  sparePort,
  startEndpoint,
  startFeeder,
  tweetsByMovie,
} from '../../harness/chaos-rig.js';
import { killAll } from '../../harness/processes.js';
import { RedisCluster } from '../../harness/redis-servers.js';
import { sleep } from '../../harness/until.js';

export interface FailoverOptions {
  /** `cluster-node-timeout`, ms; undefined = the server default (15,000). */
  nodeTimeoutMs?: number;
  clients?: number;
  postsPerSecond?: number;
  /** Writing before the kill and after the promotion, ms. */
  beforeMs?: number;
  afterMs?: number;
  /** How long clients get to catch up at the end before counting, ms. */
  settleMs?: number;
  log?: (line: string) => void;
}

export interface ClientFigures extends DeliveryFigures {
  /** Times the SDK client connected (1 = never reconnected). */
  connects: number;
}

export interface FailoverFigures {
  /** kill -9 → replica promoted and cluster_state:ok, ms. */
  promotionMs: number;
  written: number;
  /** Posts for the killed shard's movies written while it had no master. */
  writtenDuringFailover: number;
  /** Written but never appended to history. */
  ingestLost: number;
  /** History entries whose tweet appears twice in one movie's history. */
  historyDuplicates: number;
  clients: ClientFigures[];
}

const DEPLOYMENT = 'failover';
/** Lenient on purpose: clients should stay connected, so what they miss is the endpoint's
 * catch-up's doing, not hidden by an SDK resume. */
const TIMING = { pingIntervalMs: 1000, deadAfterMs: 10_000 };

export async function runFailover(opts: FailoverOptions = {}): Promise<FailoverFigures> {
  const log = opts.log ?? (() => {});
  const t0 = Date.now();
  const phase = (s: string) => log(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${s}`);
  const cluster = await RedisCluster.start(3, {
    replicas: 1,
    ...(opts.nodeTimeoutMs === undefined ? {} : { nodeTimeoutMs: opts.nodeTimeoutMs }),
  });
  const clients: RecordingClient[] = [];
  const writer = new PostWriter('f', opts.postsPerSecond ?? 30);
  try {
    // The victim: the master of a followed movie that does not also hold the counts.
    const countsMaster = await cluster.masterOf(await cluster.slotOf('{c}'));
    const slots = await Promise.all(MOVIES.map((m) => cluster.slotOf(`{m${m.id}}`)));
    const masters = await Promise.all(slots.map((s) => cluster.masterOf(s)));
    const victimIndex = masters.findIndex((m) => m !== undefined && m !== countsMaster);
    if (victimIndex < 0) throw new Error('every movie shares the counts shard');
    const victim = masters[victimIndex]!;
    const victimSlot = slots[victimIndex]!;
    const hit = new Set<number>(MOVIES.filter((_, i) => masters[i] === victim).map((m) => m.id));
    phase(`cluster up (6 nodes); victim :${victim.port} holds movies ${[...hit].join(', ')}`);

    const url = cluster.url;
    const [portA, portB] = [await sparePort(), await sparePort()];
    // One at a time: three processes loading the catalog at once on a loaded 2-core
    // machine took longer than the start timeout.
    const feeder = await startFeeder(url, DEPLOYMENT);
    await startEndpoint(url, DEPLOYMENT, portA);
    await startEndpoint(url, DEPLOYMENT, portB);
    writer.feeder = feeder;
    const endpoints = [{ port: portA }, { port: portB }];
    const n = opts.clients ?? 12;
    for (let i = 0; i < n; i++) {
      const a = MOVIES[i % 3]!.id;
      const b = MOVIES[(i + 1) % 3]!.id;
      clients.push(new RecordingClient(`fo-${i}`, endpoints, [a, b], TIMING));
    }
    const connects = new Map<RecordingClient, number>();
    for (const c of clients)
      c.client.on('state', ({ to }) => {
        if (to === 'connected') connects.set(c, (connects.get(c) ?? 0) + 1);
      });
    await Promise.all(clients.map((c) => c.client.connect()));
    await sleep(500); // feeds subscribed
    writer.start();
    await sleep(opts.beforeMs ?? 2000);

    const before = writer.published.size;
    await victim.stop(); // SIGKILL
    const killedAt = Date.now();
    phase(`master :${victim.port} killed (-9) after ${before} posts`);
    const promoted = await cluster.waitForPromotion(victimSlot, victim, 90_000);
    const promotionMs = Date.now() - killedAt;
    const during = [...writer.published].slice(before).filter(([, m]) => hit.has(m)).length;
    phase(`replica :${promoted.port} promoted after ${promotionMs} ms (${during} posts for it)`);
    await sleep(opts.afterMs ?? 3000);
    writer.stop();
    phase(`writer stopped after ${writer.published.size} posts`);

    // Let the feeder drain and the clients catch up, then count.
    const published = writer.published;
    const deadline = Date.now() + (opts.settleMs ?? 15_000);
    let history = await readHistoryAnyNode(cluster);
    for (;;) {
      history = await readHistoryAnyNode(cluster);
      const inHistory = new Set([...history.values()].flatMap((l) => l.map((e) => e.tweetId)));
      const complete = [...published.keys()].every((id) => inHistory.has(id));
      const caughtUp = clients.every((c) => c.hasAll(tweetsByMovie(published)));
      if ((complete && caughtUp) || Date.now() > deadline) break;
      await sleep(250);
    }
    phase('counting');

    const inHistory = new Set([...history.values()].flatMap((l) => l.map((e) => e.tweetId)));
    let historyDuplicates = 0;
    for (const list of history.values())
      historyDuplicates += list.length - new Set(list.map((e) => e.tweetId)).size;
    const figures: FailoverFigures = {
      promotionMs,
      written: published.size,
      writtenDuringFailover: during,
      ingestLost: [...published.keys()].filter((id) => !inHistory.has(id)).length,
      historyDuplicates,
      clients: clients.map((c) => ({
        ...countClient(c, published),
        connects: connects.get(c) ?? 0,
      })),
    };
    await feeder.kill('SIGTERM');
    return figures;
  } finally {
    writer.stop();
    await Promise.all(clients.map((c) => c.client.close()));
    await killAll();
    await cluster.destroy();
  }
}

/** History read through any live node (the killed one is gone). */
async function readHistoryAnyNode(cluster: RedisCluster) {
  const perMovie = new Map<number, { postId: string; tweetId: string }[]>();
  for (const m of MOVIES) {
    const master = await cluster.masterOf(await cluster.slotOf(`{m${m.id}}`));
    if (master === undefined) {
      perMovie.set(m.id, []);
      continue;
    }
    const h = await readHistory(master.url, DEPLOYMENT, [m.id]);
    perMovie.set(m.id, h.get(m.id) ?? []);
  }
  return perMovie;
}

export function summary(f: FailoverFigures): string {
  const sum = (k: 'lost' | 'flagged' | 'duplicated') => f.clients.reduce((n, c) => n + c[k], 0);
  const per = f.clients
    .map(
      (c) =>
        `${c.name}:${c.lost}/${c.flagged}/${c.duplicated}${c.connects > 1 ? `(${c.connects}c)` : ''}`,
    )
    .join(' ');
  return (
    `promotion ${f.promotionMs} ms; written ${f.written} (${f.writtenDuringFailover} for the killed shard during failover); ` +
    `ingest lost ${f.ingestLost}, history duplicates ${f.historyDuplicates}; ` +
    `clients lost ${sum('lost')}, flagged ${sum('flagged')}, duplicated ${sum('duplicated')} ` +
    `(per client lost/flagged/duplicated: ${per})`
  );
}

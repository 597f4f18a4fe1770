/**
 * Chaos, short form (issue 8 §5): real processes — one redis-server, one feeder fed
 * posts on stdin at a steady pace, two endpoints — and 20 SDK clients following two of
 * three movies each across both endpoints. In turn: `kill -9` endpoint A (its clients
 * move to B; A comes back on the same port), restart Redis (empty data; posts written
 * meanwhile are buffered by the feeder), `kill -9` + restart the feeder, `SIGSTOP`
 * endpoint B for longer than the clients' dead-connection timeout, then `SIGCONT`.
 *
 * Checked at the end: every client has every post that reached history (the union of
 * Redis's per-movie streams read just before the Redis restart and at the end), none
 * twice, in post-id order per movie, nothing that was never published; the only
 * published posts missing from history are, per movie, the last ones written to the
 * feeder in the seconds before its `kill -9`; the surviving processes are alive and exit 0 on SIGTERM with no
 * uncaught error; each endpoint's open fds return to their baseline and its RSS to
 * within MEMORY_TOLERANCE of it once the clients are gone.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import {
  alive,
  type CliProcess,
  countClient,
  type EndpointProc,
  type HistoryEntry,
  MOVIES,
  openFds,
  PostWriter,
  RecordingClient,
  RedisServer,
  readHistory,
  rssBytes,
  sparePort,
  startEndpoint,
  startFeeder,
} from '../../harness/chaos-rig.js';
import { killAll } from '../../harness/processes.js';
import { sleep, until } from '../../harness/until.js';
import { comparePostIds } from '../../src/protocol/index.js';

const DEPLOYMENT = 'chaos';
const CLIENTS = 20;
/** Client heartbeat: ping every 300 ms, dead after 1 s of silence. */
const TIMING = { pingIntervalMs: 300, deadAfterMs: 1000 };
/** SIGSTOP lasts well past the clients' dead timeout (and their 2 s connect timeout). */
const PAUSE_MS = 3000;
const POSTS_PER_SECOND = 20;
/**
 * RSS after the clients leave may exceed the pre-client baseline by this much: V8 keeps
 * heap pages it grew into (measured: +5–15 MiB after this run); a leak of the 20
 * clients' sessions and feeds over ~700 posts would not stay under it for long, and
 * the soak (bench/soak) is the real leak check.
 */
const MEMORY_TOLERANCE = 40 * 1024 * 1024;
/** Open fds may briefly exceed the baseline (a Redis reconnect in flight): not after 10 s. */
const FD_SETTLE_MS = 10_000;

let redis: RedisServer | null = null;
const clients: RecordingClient[] = [];
const timers: (() => void)[] = [];

after(async () => {
  for (const stop of timers) stop();
  await Promise.all(clients.map((c) => c.client.close()));
  await killAll();
  await redis?.destroy();
});

const MiB = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

it('chaos: endpoint kill -9, Redis restart, feeder restart, endpoint SIGSTOP — every post, once, in order', {
  timeout: 180_000, // its processes took 44 s to start at load 44 (eight suites, 2 cores)
}, async (t) => {
  const t0 = Date.now();
  const phase = (name: string) =>
    t.diagnostic(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${name}`);
  redis = await RedisServer.start();
  const url = redis.url;
  const [portA, portB] = [await sparePort(), await sparePort()];
  const [feeder1, epA1, epB] = await Promise.all([
    startFeeder(url, DEPLOYMENT),
    startEndpoint(url, DEPLOYMENT, portA),
    startEndpoint(url, DEPLOYMENT, portB),
  ]);
  let feeder: CliProcess = feeder1;
  const baseB = { fds: openFds(epB.pid), rss: rssBytes(epB.pid) };
  phase(`processes up; endpoint B baseline ${baseB.fds} fds, ${MiB(baseB.rss)}`);

  const writer = new PostWriter('c', POSTS_PER_SECOND);
  writer.feeder = feeder;
  /** tweet id → [time written, feeder generation], to explain posts missing from history. */
  const writtenAt = new Map<string, number>();
  let feederGen = 1;
  const genOf = new Map<string, number>();
  const track = setInterval(() => {
    for (const id of writer.published.keys())
      if (!writtenAt.has(id)) {
        writtenAt.set(id, Date.now());
        genOf.set(id, feederGen);
      }
  }, 5);
  timers.push(
    () => writer.stop(),
    () => clearInterval(track),
  );

  const endpoints = [{ port: portA }, { port: portB }];
  for (let i = 0; i < CLIENTS; i++) {
    const a = MOVIES[i % 3]!.id;
    const b = MOVIES[(i + 1) % 3]!.id;
    clients.push(new RecordingClient(`chaos-${i}`, endpoints, [a, b], TIMING));
  }
  await Promise.all(clients.map((c) => c.client.connect()));
  const onA = () => clients.filter((c) => c.port === portA).length;
  const onB = () => clients.filter((c) => c.port === portB).length;
  phase(`${CLIENTS} clients connected: ${onA()} on A, ${onB()} on B`);
  assert.ok(onA() > 0 && onB() > 0, 'clients spread over both endpoints');
  await sleep(300); // feeds subscribed
  writer.start();
  await sleep(2000);

  // 1. kill -9 endpoint A: its clients reconnect to B; A comes back on the same port.
  const movedFromA = onA();
  await epA1.proc.kill('SIGKILL');
  phase(`endpoint A killed (-9) with ${movedFromA} clients`);
  await until(() => onB() === CLIENTS, 10_000, 'every client on B');
  phase('every client reconnected to B');
  const epA: EndpointProc = await startEndpoint(url, DEPLOYMENT, portA);
  const baseA = { fds: openFds(epA.pid), rss: rssBytes(epA.pid) };
  phase(`endpoint A restarted; baseline ${baseA.fds} fds, ${MiB(baseA.rss)}`);
  await sleep(1000);

  // 2. Restart Redis. First a quiet moment to read what reached history (a restart
  // without persistence loses it) and let every client catch up to it.
  writer.stop();
  let before = new Map<number, HistoryEntry[]>();
  await until(
    async () => {
      before = await readHistory(url, DEPLOYMENT);
      return count(before) === writer.published.size;
    },
    10_000,
    'every published post in history before the Redis restart',
    100,
  );
  const expectedBefore = tweetSets(before);
  await until(() => clients.every((c) => c.hasAll(expectedBefore)), 10_000, 'clients caught up');
  await redis.stop();
  phase(`Redis stopped after ${count(before)} posts in history`);
  writer.start(); // buffered by the feeder until Redis is back
  await sleep(1500);
  await redis.restart();
  phase('Redis restarted (empty)');
  const sinceRestart = writer.published.size;
  await until(
    () => clients.every((c) => c.client.state === 'connected'),
    10_000,
    'clients connected after the Redis restart',
  );
  await until(
    async () => count(await readHistory(url, DEPLOYMENT)) >= sinceRestart - count(before) + 10,
    15_000,
    'posts flowing after the Redis restart',
    100,
  );
  phase('posts flowing again');

  // 3. kill -9 the feeder and start another.
  writer.feeder = null;
  feederGen = 2;
  await feeder.kill('SIGKILL');
  const feederKilledAt = Date.now();
  phase('feeder killed (-9)');
  feeder = await startFeeder(url, DEPLOYMENT);
  writer.feeder = feeder;
  phase('feeder restarted');
  await sleep(1500);

  // 4. SIGSTOP endpoint B past the dead timeout: its clients move to A; then SIGCONT.
  const movedFromB = onB();
  epB.proc.child.kill('SIGSTOP');
  phase(`endpoint B stopped (SIGSTOP) with ${movedFromB} clients`);
  const pausedAt = Date.now();
  await until(() => onA() === CLIENTS, 10_000, 'every client moved to A while B is stopped');
  phase(`every client moved to A after ${Date.now() - pausedAt} ms`);
  await sleep(Math.max(0, PAUSE_MS - (Date.now() - pausedAt)));
  epB.proc.child.kill('SIGCONT');
  phase(`endpoint B continued after ${Date.now() - pausedAt} ms`);
  await sleep(1500);

  // The end: stop writing, let history settle, every client must hold all of it.
  writer.stop();
  clearInterval(track);
  let after = new Map<number, HistoryEntry[]>();
  let lastCount = -1;
  await until(
    async () => {
      after = await readHistory(url, DEPLOYMENT);
      const n = count(after);
      const settled = n === lastCount;
      lastCount = n;
      if (!settled) await sleep(500);
      return settled;
    },
    10_000,
    'history settled',
    100,
  );
  const expected = tweetSets(before);
  for (const [m, set] of tweetSets(after)) for (const id of set) expected.get(m)!.add(id);
  await until(
    () => clients.every((c) => c.hasAll(expected)),
    15_000,
    'every client has every post in history',
  ).catch((err: Error) => {
    const short = clients.filter((c) => !c.hasAll(expected)).map((c) => c.name);
    throw new Error(`${err.message}; short: ${short.join(', ')}`);
  });
  phase(
    `every client has all ${[...expected.values()].reduce((n, s) => n + s.size, 0)} posts that reached history`,
  );

  // Exactly once, in order, nothing invented.
  for (const c of clients)
    for (const m of c.movies) {
      const got = c.posts.get(m) ?? [];
      const ids = got.map((p) => p.tweetId);
      assert.equal(new Set(ids).size, ids.length, `${c.name} movie ${m}: a post twice`);
      for (let i = 1; i < got.length; i++)
        assert.ok(
          comparePostIds(got[i - 1]!.postId, got[i]!.postId) < 0,
          `${c.name} movie ${m}: out of order at ${i}`,
        );
      for (const id of ids)
        assert.equal(writer.published.get(id), m, `${c.name}: ${id} never published for ${m}`);
    }
  // What never reached history: only what the killed feeder still held — per movie, a
  // tail of the posts written to it (after the last of that movie's that did reach
  // history), written in the last few seconds before the kill (how far behind it ran
  // depends on the load). Per movie, not over all posts: the feeder appends a batch one
  // script per movie, each atomic, so a kill between them keeps one movie's part of the
  // batch and loses another's (CI lost a post of one movie while a later post of another
  // movie, from the same recovery batch, was kept).
  const inHistory = new Set([...expected.values()].flatMap((s) => [...s]));
  const lost = [...writer.published.keys()].filter((id) => !inHistory.has(id));
  const toFirstFeeder = [...writer.published.keys()]
    .filter((id) => genOf.get(id) === 1)
    .sort((x, y) => (writtenAt.get(x) ?? 0) - (writtenAt.get(y) ?? 0));
  const heldByKilled = new Set<string>();
  for (const { id: movie } of MOVIES) {
    const ofMovie = toFirstFeeder.filter((id) => writer.published.get(id) === movie);
    let lastKept = -1;
    ofMovie.forEach((id, i) => {
      if (inHistory.has(id)) lastKept = i;
    });
    for (const id of ofMovie.slice(lastKept + 1)) heldByKilled.add(id);
  }
  for (const id of lost)
    assert.ok(
      heldByKilled.has(id) && feederKilledAt - (writtenAt.get(id) ?? 0) < 5000,
      `${id} was published but never reached history (${
        heldByKilled.has(id) ? "in its movie's tail" : 'a later post of its movie was kept'
      }; written ${feederKilledAt - (writtenAt.get(id) ?? 0)} ms before the feeder's kill)`,
    );
  phase(`${writer.published.size} posts published, ${lost.length} lost with the killed feeder`);
  // Per client, against every post written except those the killed feeder held (no
  // store could have them): the Redis restart and the endpoint faults lose nothing
  // unflagged and duplicate nothing.
  const reachable = new Map([...writer.published].filter(([id]) => !heldByKilled.has(id)));
  const figures = clients.map((c) => countClient(c, reachable));
  phase(
    `per client lost/flagged/duplicated: ${figures.map((f) => `${f.name}:${f.lost}/${f.flagged}/${f.duplicated}`).join(' ')}`,
  );
  for (const f of figures) {
    assert.equal(f.lost, 0, `${f.name}: posts missed without gap`);
    assert.equal(f.duplicated, 0, `${f.name}: posts received twice`);
  }

  // A fresh start_feed on each endpoint replays the tail of history.
  const gaps = clients.reduce((n, c) => n + c.gaps, 0);
  phase(`${gaps} resumes marked gap (history lost with the Redis restart)`);
  const fresh = [portA, portB].map(
    (port) => new RecordingClient(`fresh-${port}`, [{ port }], [MOVIES[0].id], TIMING),
  );
  clients.push(...fresh);
  await Promise.all(fresh.map((c) => c.client.connect()));
  const tail = after
    .get(MOVIES[0].id)!
    .slice(-20)
    .map((e) => e.tweetId);
  await until(
    () => fresh.every((c) => (c.posts.get(MOVIES[0].id)?.length ?? 0) >= tail.length),
    10_000,
    'backlog on a fresh client of each endpoint',
  ).catch((err: Error) => {
    const got = fresh.map(
      (c) => `${c.name}: ${c.client.state} ${c.posts.get(MOVIES[0].id)?.length ?? 0}`,
    );
    throw new Error(
      `${err.message}: ${got.join(', ')}; want ${tail.length}\nB stderr: ${epB.proc.stderr}\nA stderr: ${epA.proc.stderr}`,
    );
  });
  for (const c of fresh)
    assert.deepEqual(
      c.posts.get(MOVIES[0].id)!.map((p) => p.tweetId),
      tail,
      `${c.name} backlog`,
    );

  // Clients leave: fds back to baseline, memory near it.
  await Promise.all(clients.map((c) => c.client.close()));
  for (const [name, ep, base] of [
    ['A', epA, baseA],
    ['B', epB, baseB],
  ] as const) {
    await until(
      () => openFds(ep.pid) <= base.fds,
      FD_SETTLE_MS,
      `endpoint ${name} fds back to ${base.fds} (now ${openFds(ep.pid)})`,
    );
    const rss = rssBytes(ep.pid);
    phase(
      `endpoint ${name}: ${openFds(ep.pid)} fds (baseline ${base.fds}), RSS ${MiB(rss)} (baseline ${MiB(base.rss)}, +${MiB(rss - base.rss)})`,
    );
    assert.ok(
      rss - base.rss < MEMORY_TOLERANCE,
      `endpoint ${name} RSS ${MiB(rss)} vs baseline ${MiB(base.rss)}`,
    );
  }

  // Nothing crashed: the survivors are alive and shut down cleanly.
  for (const [name, p] of [
    ['endpoint A', epA.proc],
    ['endpoint B', epB.proc],
    ['feeder', feeder],
  ] as const) {
    assert.ok(alive(p.child.pid!), `${name} alive`);
    assert.equal(await p.kill('SIGTERM'), 0, `${name} exit code; stderr:\n${p.stderr}`);
    assert.ok(!/uncaught|unhandled/i.test(p.stderr), `${name} stderr:\n${p.stderr}`);
  }
  phase('survivors exited 0');
});

function count(h: Map<number, HistoryEntry[]>): number {
  let n = 0;
  for (const list of h.values()) n += list.length;
  return n;
}

function tweetSets(h: Map<number, HistoryEntry[]>): Map<number, Set<string>> {
  return new Map([...h].map(([m, list]) => [m, new Set(list.map((e) => e.tweetId))]));
}

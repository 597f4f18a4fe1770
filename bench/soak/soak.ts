/**
 * Soak (issue 8 §5), opt-in: `npm run soak -- --minutes 10`. Real processes from the
 * chaos rig (harness/chaos-rig.ts): a redis-server of its own, a feeder fed steady posts
 * on stdin, two endpoints. SDK clients churn the whole time — each lives a random
 * 1–20 s, follows one to three movies and follows/unfollows while it lives — around a
 * target population. Every 10 s it samples each endpoint: RSS and open fds from /proc,
 * V8 heap and connections from its admin /metrics.
 *
 * Verdict: memory is flat when the last minute's average RSS (and heap) of each
 * endpoint is within --tolerance % (default 10) of the first minute after the warm-up;
 * no fd leak when, after every client closed, each endpoint's open fds are back to the
 * count before the first client.
 *
 * mem-probe.mjs is preloaded into the children (NODE_OPTIONS): it adds Buffer memory
 * (`arrayBuffers`) to each sample and, after the clients left, a full GC, so a rise in
 * RSS can be told apart from live objects.
 *
 * Options: --minutes N (10), --clients N (target population, 100), --posts N (posts/s,
 * 20), --warmup S (seconds excluded from the first-minute average, 300: RSS ramps for ~5 minutes before it is flat — docs/OPERATIONS.md), --tolerance P.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type EndpointProc,
  MOVIES,
  openFds,
  PostWriter,
  RecordingClient,
  RedisServer,
  rssBytes,
  sparePort,
  startEndpoint,
  startFeeder,
} from '../../harness/chaos-rig.js';
import { killAll } from '../../harness/processes.js';
import { sleep, until } from '../../harness/until.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    clients: { type: 'string', default: '100' },
    posts: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '300' },
    tolerance: { type: 'string', default: '10' },
  },
});
const MINUTES = Number(values.minutes);
const TARGET = Number(values.clients);
const POSTS = Number(values.posts);
const WARMUP_MS = Number(values.warmup) * 1000;
const TOLERANCE = Number(values.tolerance) / 100;
const SAMPLE_MS = 10_000;
const DEPLOYMENT = 'soak';
const PROBE_DIR = mkdtempSync(join(tmpdir(), 'fg-soak-probe-'));
process.env.FG_MEM_PROBE_DIR = PROBE_DIR;
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${fileURLToPath(new URL('./mem-probe.mjs', import.meta.url))}`;

interface Probe {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  gc?: boolean;
}

/** The probe's latest line for a process (optionally the latest after a forced GC). */
function probe(pid: number, gc = false): Probe | undefined {
  try {
    const lines = readFileSync(join(PROBE_DIR, `${pid}.ndjson`), 'utf8')
      .trim()
      .split('\n');
    const all = lines.map((l) => JSON.parse(l) as Probe).filter((p) => !gc || p.gc === true);
    return all.at(-1);
  } catch {
    return undefined;
  }
}

interface Sample {
  at: number;
  clients: number;
  opened: number;
  closed: number;
  follows: number;
  posts: number;
  eps: { rss: number; heap: number; buffers: number; fds: number; conns: number }[];
}

/** One scrape on a fresh connection (no keep-alive socket left to count as an fd). */
async function metrics(port: number): Promise<Map<string, number>> {
  const text = await new Promise<string>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/metrics', agent: false, timeout: 5000 }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve(body)).on('error', reject);
      })
      .on('error', reject);
  });
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-z_]+) ([0-9.e+-]+)$/);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

const MiB = (b: number) => (b / 1048576).toFixed(1);
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function main(): Promise<number> {
  const redis = await RedisServer.start();
  const live = new Set<RecordingClient>();
  let writer: PostWriter | null = null;
  try {
    const ports = [await sparePort(), await sparePort()];
    const admin = [await sparePort(), await sparePort()];
    const feeder = await startFeeder(redis.url, DEPLOYMENT);
    const eps: EndpointProc[] = await Promise.all(
      ports.map((p, i) =>
        startEndpoint(redis.url, DEPLOYMENT, p, ['--admin-port', String(admin[i])]),
      ),
    );
    await sleep(1000);
    const baseFds = eps.map((e) => openFds(e.pid));
    const baseRss = eps.map((e) => rssBytes(e.pid));
    console.log(
      `soak: ${MINUTES} min, ~${TARGET} clients churning, ${POSTS} posts/s; endpoints :${ports.join(', :')}; ` +
        `baseline fds ${baseFds.join('/')}, RSS ${baseRss.map(MiB).join('/')} MiB`,
    );

    writer = new PostWriter('s', POSTS);
    writer.feeder = feeder;
    writer.start();

    const endpoints = ports.map((port) => ({ port }));
    const counters = { opened: 0, closed: 0, follows: 0 };
    let received = 0;
    let seq = 0;
    const open = () => {
      const movies = MOVIES.filter(() => Math.random() < 0.5).map((m) => m.id);
      if (movies.length === 0) movies.push(MOVIES[seq % 3]!.id);
      const c = new RecordingClient(`soak-${seq++}`, endpoints, movies, {
        pingIntervalMs: 5000,
        deadAfterMs: 15_000,
      });
      c.client.on('post', () => {
        received++;
      });
      live.add(c);
      counters.opened++;
      c.client.connect().catch(() => {});
      const lifetime = 1000 + Math.random() * 19_000;
      setTimeout(() => {
        live.delete(c);
        counters.closed++;
        void c.client.close();
      }, lifetime).unref();
    };
    // Churn: keep the population near TARGET; each tick also flips one follow.
    const churn = setInterval(() => {
      if (live.size < TARGET) for (let i = 0; i < Math.min(5, TARGET - live.size); i++) open();
      const list = [...live];
      const c = list[Math.floor(Math.random() * list.length)];
      if (c === undefined) return;
      const m = MOVIES[Math.floor(Math.random() * MOVIES.length)]!.id;
      if (c.client.following.includes(m)) {
        if (c.client.following.length > 1) c.client.unfollow(m);
      } else c.client.follow(m);
      counters.follows++;
    }, 50);

    const samples: Sample[] = [];
    const t0 = Date.now();
    const header = `| t (s) | clients | opened | closed | follow flips | posts recv | ${eps
      .map(
        (_, i) =>
          `ep${i} RSS MiB | ep${i} heap MiB | ep${i} buffers MiB | ep${i} fds | ep${i} conns`,
      )
      .join(' | ')} |`;
    console.log(header);
    console.log(header.replace(/[^|]+/g, '---'));
    const row = (s: Sample) =>
      `| ${Math.round((s.at - t0) / 1000)} | ${s.clients} | ${s.opened} | ${s.closed} | ${s.follows} | ${s.posts} | ${s.eps
        .map((e) => `${MiB(e.rss)} | ${MiB(e.heap)} | ${MiB(e.buffers)} | ${e.fds} | ${e.conns}`)
        .join(' | ')} |`;
    const sample = async (): Promise<Sample> => ({
      at: Date.now(),
      clients: live.size,
      ...counters,
      posts: received,
      eps: await Promise.all(
        eps.map(async (e, i) => {
          const m = await metrics(admin[i]!);
          return {
            rss: rssBytes(e.pid),
            heap: m.get('nodejs_heap_used_bytes') ?? 0,
            buffers: probe(e.pid)?.arrayBuffers ?? 0,
            fds: openFds(e.pid),
            conns: m.get('filmgrain_connections') ?? 0,
          };
        }),
      ),
    });
    const endAt = t0 + MINUTES * 60_000;
    while (Date.now() < endAt) {
      await sleep(Math.min(SAMPLE_MS, endAt - Date.now()));
      const s = await sample();
      samples.push(s);
      console.log(row(s));
    }
    clearInterval(churn);
    writer.stop();

    // Everyone leaves; fds must come back to the count before the first client.
    await Promise.all([...live].map((c) => c.client.close()));
    live.clear();
    let fdsBack = true;
    await until(
      () => eps.every((e, i) => openFds(e.pid) <= baseFds[i]!),
      30_000,
      'fds back to baseline',
    ).catch(() => {
      fdsBack = false;
    });
    const final = await sample();
    console.log(row(final));
    for (const e of eps) e.proc.child.kill('SIGUSR2');
    await sleep(1500);

    const steady = samples.filter((s) => s.at - t0 >= WARMUP_MS);
    const first = steady.filter((s) => s.at - steady[0]!.at < 60_000);
    const last = samples.filter((s) => endAt - s.at < 60_000);
    console.log('');
    let flat = true;
    eps.forEach((e, i) => {
      for (const key of ['rss', 'heap'] as const) {
        const a = avg(first.map((s) => s.eps[i]![key]));
        const b = avg(last.map((s) => s.eps[i]![key]));
        const change = (b - a) / a;
        const ok = Math.abs(change) <= TOLERANCE;
        if (key === 'rss') flat &&= ok;
        console.log(
          `ep${i} ${key}: first minute after warm-up ${MiB(a)} MiB, last minute ${MiB(b)} MiB (${(change * 100).toFixed(1)} %) ${ok ? 'flat' : 'NOT FLAT'}`,
        );
      }
      const g = probe(e.pid, true);
      if (g !== undefined)
        console.log(
          `ep${i} after the clients left and a full GC: RSS ${MiB(g.rss)} MiB, heap ${MiB(g.heapUsed)} MiB, external ${MiB(g.external)} MiB (buffers ${MiB(g.arrayBuffers)} MiB)`,
        );
      console.log(
        `ep${i} fds: baseline ${baseFds[i]}, after clients left ${final.eps[i]!.fds}; alive ${e.proc.child.exitCode === null}`,
      );
    });
    const alive =
      eps.every((e) => e.proc.child.exitCode === null) && feeder.child.exitCode === null;
    const verdict = flat && fdsBack && alive;
    console.log(
      `verdict: ${verdict ? 'PASS' : 'FAIL'} (memory ${flat ? 'flat' : 'growing'} within ±${TOLERANCE * 100} %, fds ${fdsBack ? 'back to baseline' : 'LEAKED'}, processes ${alive ? 'alive' : 'DIED'}); ` +
        `${counters.opened} connections opened, ${counters.follows} follow flips, ${received} posts received, ${writer.published.size} published`,
    );
    return verdict ? 0 : 1;
  } finally {
    writer?.stop();
    await Promise.all([...live].map((c) => c.client.close()));
    await killAll();
    await redis.destroy();
    rmSync(PROBE_DIR, { recursive: true, force: true });
  }
}

process.exitCode = await main();

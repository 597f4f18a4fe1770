/**
 * `npm run bench:conns` — many idle TLS clients on one Filmgrain endpoint process
 * (issue 7 §2): bytes per connection (the endpoint's RSS delta, plus kernel TCP memory
 * from /proc/net/sockstat), the TLS handshake rate in a reconnect storm, and how long
 * a broadcast to all of them blocks the event loop. Clients are spread over child
 * processes (each < 19,000 sockets: the machine caps every process at 20,000 files).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../harness/ports.js';
import { ensureDevCertificate } from '../src/endpoint/dev-cert.js';
import type { FromWorker, ToWorker } from './client-worker.js';
import { clientProtocol } from './lib/args.js';
import { nowUs } from './lib/hist.js';
import { describeMachine } from './lib/machine.js';
import { cpuTimes, memory, tcpKernelBytes } from './lib/proc.js';
import { ROOT, startTarget } from './lib/targets.js';
import { benchTweet, deliveredLine } from './lib/wire.js';
import { benchMovies } from './lib/workload.js';

const HELP = `usage: npm run bench:conns -- [options]

  --clients N      idle TLS clients (default 19000)
  --per-process N  clients per load-generator process (default 5000, at most 18000)
  --broadcasts N   broadcasts to all, for the event-loop block (default 5)
  --no-storm       skip the reconnect storm
  --plain          plain TCP instead of TLS
  --transport T    line | websocket (default line): how the clients connect
  --ws-deflate     websocket: server and clients negotiate permessage-deflate
  --protocol V     protocol version the clients speak (1 or 2; default 1)
  --ranking-size N v2 clients' ranking_size (default 100)
  --ranking-seconds S  also measure what ranking pushes cost: S seconds of posts about
                   other movies (--ranking-rate a second) with the clients connected,
                   against the same stream for S seconds before they connect; the
                   endpoint's extra CPU is the pushes'; also the ranking lines it
                   wrote (its /metrics) and the CPU per line (default 0 = skip); also
                   S seconds with no posts before and after the clients connect, so
                   what merely holding the clients costs (timers, GC of a larger heap)
                   is told apart from the pushes
  --ranking-rate R posts per second in that window (default 20, the synthetic default)
  --ranking-warm N posts (same skew) injected at once before the windows, so the counts
                   look like an hour of a stream, not a fresh start where every post
                   reorders the top (default 20000)
  --cpu-prof DIR   write the endpoint's V8 CPU profile into DIR (node --cpu-prof)
  --out FILE       JSON results (default bench/results/conns-<time>.json)
`;
const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '19000' },
    'per-process': { type: 'string', default: '5000' },
    broadcasts: { type: 'string', default: '5' },
    'no-storm': { type: 'boolean', default: false },
    plain: { type: 'boolean', default: false },
    transport: { type: 'string', default: 'line' },
    'ws-deflate': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    protocol: { type: 'string', default: '1' },
    'ranking-size': { type: 'string', default: '100' },
    'ranking-seconds': { type: 'string', default: '0' },
    'ranking-rate': { type: 'string', default: '20' },
    'ranking-warm': { type: 'string', default: '20000' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const clients = Number(values.clients);
const clientOptions = clientProtocol(values);
const perProcess = Math.min(18_000, Number(values['per-process']));
const nWorkers = Math.ceil(clients / perProcess);
const tls = !values.plain;
const hardStop = setTimeout(() => {
  console.error('bench:conns: time limit reached, stopping');
  process.exit(2);
}, 600_000);
hardStop.unref();

/** The server's JS heap in the probe's latest sample (0 before the first). */
function latestHeap(samples: readonly { heapUsed?: number }[]): number {
  return samples.at(-1)?.heapUsed ?? 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const workDir = join(tmpdir(), 'filmgrain-bench');
mkdirSync(workDir, { recursive: true });
const cert = await ensureDevCertificate(workDir);
const ca = readFileSync(cert.certPath, 'utf8');
const allMovies = await benchMovies(100);
const movie = allMovies[0]!;
// The ranking window talks about the other movies (the clients follow `movie` only), so
// what it costs the endpoint beyond ingest is the ranking pushes.
const others = allMovies.slice(1);
const rankingSeconds = Number(values['ranking-seconds']);
const rankingRate = Number(values['ranking-rate']);
let rankingSeq = 0;
function rankingPost(): void {
  // Skewed (a few movies get most posts), so the order changes now and then.
  const m = others[Math.floor(Math.random() ** 2 * others.length)]!;
  const mark = { phase: 0, movie: m.id, mseq: 0, g: 1e7 + ++rankingSeq, sentUs: nowUs() };
  target.inject(
    m.id,
    benchTweet(mark, m.title, `r${process.pid}`),
    deliveredLine(mark, m.title, ''),
  );
}
/** The endpoint's ranking line counters (/metrics: filmgrain_ranking_lines_out_total). */
async function rankingLines(): Promise<{ full: number; delta: number }> {
  const page = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
  const read = (kind: string) =>
    Number(
      new RegExp(`^filmgrain_ranking_lines_out_total\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(
        page,
      )?.[1] ?? Number.NaN,
    );
  return { full: read('full'), delta: read('delta') };
}
/**
 * Posts for `seconds` at rankingRate; the endpoint's CPU seconds, worst loop block and
 * the ranking lines it wrote meanwhile (a saturated endpoint writes fewer than it owes:
 * pushes never pile up, a client skips to the latest).
 */
async function rankingWindow(
  seconds: number,
  rate: number,
): Promise<{
  cpuSec: number;
  userSec: number;
  loopMaxMs: number;
  lines: { full: number; delta: number };
}> {
  const lines0 = await rankingLines();
  const cpu0 = cpuTimes(target.pid);
  const from = target.samples.length;
  const end = Date.now() + seconds * 1000;
  const tick = 100;
  while (Date.now() < end) {
    for (let k = 0; k < Math.round((rate * tick) / 1000); k++) rankingPost();
    await sleep(tick);
  }
  // Pushes the window's last posts caused are still being written: count their CPU and
  // lines too (both windows alike).
  await sleep(1500);
  const loop = target.samples.slice(from).map((x) => x.elMaxMs);
  const cpu1 = cpuTimes(target.pid);
  const lines1 = await rankingLines();
  return {
    cpuSec: cpu1.user + cpu1.system - cpu0.user - cpu0.system,
    userSec: cpu1.user - cpu0.user,
    loopMaxMs: loop.length ? Math.max(...loop) : 0,
    lines: { full: lines1.full - lines0.full, delta: lines1.delta - lines0.delta },
  };
}
const adminPort = await freePort();
const target = await startTarget({
  kind: 'filmgrain',
  tls,
  certPath: cert.certPath,
  keyPath: cert.keyPath,
  ca,
  workDir,
  extraArgs: ['--admin-port', String(adminPort), ...(values['ws-deflate'] ? ['--ws-deflate'] : [])],
  ...(values['cpu-prof'] !== undefined ? { cpuProfDir: values['cpu-prof'] } : {}),
});
const workers: ChildProcess[] = [];
const progress: { warm: number; closed: number }[] = [];
const done: { ok: number; failed: number; ms: number }[] = [];
let g = 0;
const broadcast = () => {
  const m = { phase: 0, movie: movie.id, mseq: 0, g: ++g, sentUs: nowUs() };
  target.inject(
    m.movie,
    benchTweet(m, movie.title, `c${process.pid}`),
    deliveredLine(m, movie.title, ''),
  );
};
try {
  await sleep(1500);
  if (rankingSeconds > 0) {
    for (let k = 0; k < Number(values['ranking-warm']); k++) rankingPost();
    await target.drained();
    await sleep(3000);
  }
  const rankingBase = rankingSeconds > 0 ? await rankingWindow(rankingSeconds, rankingRate) : null;
  const idleBase = rankingSeconds > 0 ? await rankingWindow(rankingSeconds, 0) : null;
  if (rankingBase !== null) await sleep(1500);
  const base = memory(target.pid);
  const heapBase = latestHeap(target.samples);
  const kernel0 = tcpKernelBytes();
  const tConnect = performance.now();
  for (let w = 0; w < nWorkers; w++) {
    const child = fork(join(ROOT, 'bench/client-worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    workers.push(child);
    child.on('message', (m: FromWorker) => {
      if (m.type === 'progress') progress[w] = m;
      else if (m.type === 'connected' || m.type === 'stormed') done[w] = m;
    });
    const n = Math.min(perProcess, clients - w * perProcess);
    child.send({
      type: 'start',
      target: 'filmgrain',
      host: '127.0.0.1',
      port: target.port,
      tls,
      ca,
      movies: new Array<number>(n).fill(movie.id),
      localAddresses: Array.from(
        { length: 40 },
        (_, k) => `127.${100 + (process.pid % 100)}.${w + 1}.${k + 1}`,
      ),
      resume: true,
      concurrency: 64,
      ...clientOptions,
      ...(values.transport === 'websocket'
        ? { websocket: target.websocket!, deflate: values['ws-deflate'] }
        : {}),
    } satisfies ToWorker);
  }
  while (done.filter(Boolean).length < nWorkers) await sleep(200);
  const connected = done.reduce((a, d) => a + d.ok, 0);
  const connectSec = (performance.now() - tConnect) / 1000;
  process.stderr.write(`${connected} connected in ${connectSec.toFixed(1)} s\n`);
  // Broadcasts: the first also proves every client follows the movie.
  // Before any post: what holding the connections costs, apart from the buffers the
  // first write to each one leaves behind.
  await sleep(2000);
  const beforePosts = memory(target.pid);
  const blocks: number[] = [];
  const spreads: number[] = [];
  for (let b = 0; b < Number(values.broadcasts); b++) {
    for (const w of workers) w.send({ type: 'unwarm' } satisfies ToWorker);
    await sleep(500);
    const t0 = nowUs();
    broadcast();
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      await sleep(50);
      const warm = progress.reduce((a, p) => a + (p?.warm ?? 0), 0);
      if (warm >= connected) break;
    }
    const t1 = nowUs();
    await sleep(600);
    const el = target.samples.filter((s) => s.t >= t0 && s.t <= t1 + 600_000);
    blocks.push(Math.max(0, ...el.map((s) => s.elMaxMs)));
    spreads.push((t1 - t0) / 1000);
  }
  await sleep(2000);
  const settled = memory(target.pid);
  const heapSettled = latestHeap(target.samples);
  const kernel1 = tcpKernelBytes();
  const rssPerConn = (settled.rss - base.rss) / connected;
  const kernelPerConn = (kernel1.bytes - kernel0.bytes) / connected;
  let storm: { reconnected: number; failed: number; seconds: number; perSecond: number } | null =
    null;
  if (!values['no-storm']) {
    done.length = 0;
    const t = performance.now();
    for (const w of workers) w.send({ type: 'storm' } satisfies ToWorker);
    while (done.filter(Boolean).length < nWorkers) await sleep(100);
    const seconds = (performance.now() - t) / 1000;
    const ok = done.reduce((a, d) => a + d.ok, 0);
    storm = {
      reconnected: ok,
      failed: done.reduce((a, d) => a + d.failed, 0),
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round(ok / seconds),
    };
  }
  const idleWith = rankingSeconds > 0 ? await rankingWindow(rankingSeconds, 0) : null;
  const rankingWith = rankingSeconds > 0 ? await rankingWindow(rankingSeconds, rankingRate) : null;
  const perMinute = (cpuSec: number) => Math.round((cpuSec / rankingSeconds) * 60 * 100) / 100;
  const rankingPushes =
    rankingBase === null || rankingWith === null || idleBase === null || idleWith === null
      ? null
      : {
          seconds: rankingSeconds,
          postsPerSecond: rankingRate,
          cpuSecNoClients: Math.round(rankingBase.cpuSec * 100) / 100,
          cpuSecWithClients: Math.round(rankingWith.cpuSec * 100) / 100,
          pushCpuSecPerMinute:
            Math.round(((rankingWith.cpuSec - rankingBase.cpuSec) / rankingSeconds) * 60 * 100) /
            100,
          pushUserCpuSecPerMinute:
            Math.round(((rankingWith.userSec - rankingBase.userSec) / rankingSeconds) * 60 * 100) /
            100,
          // What holding the connected clients costs with no post at all (idle windows
          // after minus before they connected), and the pushes' CPU net of it: the part
          // of the with-clients window that the ranking changes cause.
          holdCpuSecPerMinute: perMinute(idleWith.cpuSec - idleBase.cpuSec),
          pushNetOfHoldCpuSecPerMinute: perMinute(
            rankingWith.cpuSec - rankingBase.cpuSec - (idleWith.cpuSec - idleBase.cpuSec),
          ),
          loopMaxMsWithClients: rankingWith.loopMaxMs,
          loopMaxMsNoClients: rankingBase.loopMaxMs,
          fullLines: rankingWith.lines.full,
          deltaLines: rankingWith.lines.delta,
          linesPerClientPerMinute:
            Math.round(
              ((rankingWith.lines.full + rankingWith.lines.delta) / connected / rankingSeconds) *
                60 *
                10,
            ) / 10,
          // The push CPU per line written: what each push a client is owed costs, so a
          // saturated run (fewer lines than owed) can still be compared per push.
          cpuUsPerLine: Math.round(
            ((rankingWith.cpuSec - rankingBase.cpuSec) * 1e6) /
              Math.max(1, rankingWith.lines.full + rankingWith.lines.delta),
          ),
        };
  const peak = memory(target.pid).peakRss;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const machine = describeMachine();
  const result = {
    kind: 'conns',
    at: new Date().toISOString(),
    machine,
    params: {
      clients,
      tls,
      perProcess,
      workers: nWorkers,
      ...clientOptions,
      transport: values.transport,
      wsDeflate: values['ws-deflate'],
    },
    connected,
    connectSec: Math.round(connectSec * 10) / 10,
    endpointRssBaseMiB: Math.round(base.rss / 2 ** 20),
    endpointRssMiB: Math.round(settled.rss / 2 ** 20),
    endpointPeakRssMiB: Math.round(peak / 2 ** 20),
    rssPerConnKiB: Math.round((rssPerConn / 1024) * 10) / 10,
    heapPerConnKiB: Math.round(((heapSettled - heapBase) / connected / 1024) * 10) / 10,
    rssPerConnBeforePostsKiB:
      Math.round(((beforePosts.rss - base.rss) / connected / 1024) * 10) / 10,
    kernelTcpPerConnKiBBothEnds: Math.round((kernelPerConn / 1024) * 10) / 10,
    allInPerConnKiB: Math.round(((rssPerConn + kernelPerConn / 2) / 1024) * 10) / 10,
    broadcastLoopBlockMs: { median: median(blocks), max: Math.max(...blocks), all: blocks },
    broadcastAllDeliveredMs: { median: median(spreads), all: spreads.map((x) => Math.round(x)) },
    storm,
    rankingPushes,
  };
  const rows = [
    [
      'clients connected',
      `${connected} (${nWorkers} client processes, ${connectSec.toFixed(1)} s with TLS resumption)`,
    ],
    [
      'endpoint RSS',
      `${result.endpointRssBaseMiB} MiB idle -> ${result.endpointRssMiB} MiB (peak ${result.endpointPeakRssMiB} MiB)`,
    ],
    ['RSS per connection', `${result.rssPerConnKiB} KiB`],
    ['  of which before any post', `${result.rssPerConnBeforePostsKiB} KiB`],
    ['  of which JS heap (probe, latest sample)', `${result.heapPerConnKiB} KiB`],
    [
      'kernel TCP per connection',
      `${result.kernelTcpPerConnKiBBothEnds} KiB (both loopback ends; half counted below)`,
    ],
    [
      'all-in per connection',
      `${result.allInPerConnKiB} KiB (issue 11 target for protocol v2 clients: <= 30 KiB)`,
    ],
    [
      'broadcast to all: loop block',
      `median ${result.broadcastLoopBlockMs.median.toFixed(1)} ms, max ${result.broadcastLoopBlockMs.max.toFixed(1)} ms`,
    ],
    [
      'broadcast to all: delivered',
      `median ${result.broadcastAllDeliveredMs.median.toFixed(0)} ms (from injection to the last client)`,
    ],
    [
      'reconnect storm',
      storm
        ? `${storm.reconnected} full TLS handshakes in ${storm.seconds} s = ${storm.perSecond}/s (${storm.failed} failed; gate off)`
        : 'skipped',
    ],
    [
      'ranking pushes',
      rankingPushes
        ? `${rankingPushes.pushCpuSecPerMinute} CPU-s per minute, ${rankingPushes.pushUserCpuSecPerMinute} of it in user space (${rankingPushes.cpuSecWithClients} s with clients vs ${rankingPushes.cpuSecNoClients} s without, ${rankingSeconds} s at ${rankingRate} posts/s); loop max ${rankingPushes.loopMaxMsWithClients} ms (${rankingPushes.loopMaxMsNoClients} ms without clients); ${rankingPushes.fullLines} full lists + ${rankingPushes.deltaLines} deltas written = ${rankingPushes.linesPerClientPerMinute} per client per minute, ${rankingPushes.cpuUsPerLine} µs CPU each; holding the clients with no posts ${rankingPushes.holdCpuSecPerMinute} CPU-s per minute, pushes net of it ${rankingPushes.pushNetOfHoldCpuSecPerMinute}`
        : 'skipped (--ranking-seconds)',
    ],
  ];
  console.log(
    `bench:conns  ${tls ? 'TLS' : 'plain TCP'}${values.transport === 'websocket' ? ` WebSocket${values['ws-deflate'] ? ' + deflate' : ''}` : ' line protocol'}  ${clients} idle clients (protocol ${values.protocol}${values.protocol === '2' ? `, ranking_size ${values['ranking-size']}` : ''}), one endpoint process`,
  );
  console.log(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, ${machine.kernel}, load ${machine.loadAverage.join(' ')}\n`,
  );
  const w0 = Math.max(...rows.map((r) => r[0]!.length));
  for (const [k, v] of rows) console.log(`${k!.padEnd(w0)}  ${v}`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const out =
    values.out ??
    join(ROOT, 'bench/results', `conns-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nresults: ${out}`);
} finally {
  for (const w of workers) if (w.connected) w.send({ type: 'close' } satisfies ToWorker);
  await sleep(500);
  for (const w of workers) w.kill('SIGKILL');
  await target.stop();
}
process.exit(0);

/**
 * `npm run bench:fanout` — fan-out throughput and latency of Filmgrain against the bare
 * Node reference server and nats-server, same workload, same run (issue 7 §1).
 * `--help` lists the options. Prints a table and writes bench/results/fanout-*.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../harness/ports.js';
import { ensureDevCertificate } from '../src/endpoint/dev-cert.js';
import type { TargetKind } from './client-worker.js';
import { clientProtocol, intOption } from './lib/args.js';
import { describeMachine } from './lib/machine.js';
import { type FanoutResult, runFanout } from './lib/run-fanout.js';
import { NATS_SERVER, ROOT } from './lib/targets.js';
import { benchMovies, type Shape } from './lib/workload.js';

const HELP = `usage: npm run bench:fanout -- [options]

  --clients N        clients (default 2000; each client process holds < 19,000)
  --plain            plain TCP instead of TLS
  --shape S          one | skewed | both (default both): one movie, or 100 movies Zipf(1)
  --mode M           max (as fast as clients keep up) | rate (default max)
  --posts N          measured posts in max mode (default: about 6M deliveries, 200..6000)
  --rate N           posts per second in rate mode (default 50)
  --seconds N        rate mode duration (default 10)
  --window N         max mode: posts in flight per movie (default 128)
  --targets LIST     filmgrain,reference,nats,filmgrain-ws (default: all but filmgrain-ws;
                     nats when installed). filmgrain-ws: Filmgrain's clients over
                     WebSocket (PROTOCOL.md § 12) instead of the line protocol
  --websocket        add filmgrain-ws to the targets
  --engine E         memory | redis | both (filmgrain's engine; default memory). With
                     both, filmgrain-redis runs next to filmgrain in the same run
  --redis URL        Redis for the redis engine (default: a private redis-server on a
                     free port, started and stopped by the benchmark)
  --runs N           repeat everything N times and report medians (default 1)
  --workers N        client processes (default 2)
  --cpu-prof DIR     run the servers with --cpu-prof into DIR
  --out FILE         JSON results (default bench/results/fanout-<time>.json)
  --verbose          show the servers' stderr
  --alt-args ARGS    also run \`filmgrain-alt\`: this checkout with these extra flags
                     (space-separated; --alt-args="--flush-window-max-ms 0"), same run
  --alt-node-args A  filmgrain-alt also gets these Node flags (e.g.
                     --alt-node-args=--max-semi-space-size=64); implies filmgrain-alt
  --protocol V       Filmgrain's clients connect as protocol V (1 or 2, default 1). v1
                     clients are also written a full set_movies each second the
                     ranking changes (the reference writes no ranking); v2 clients get
                     ranking deltas (PROTOCOL.md § 5) and still every post
  --ranking-size N   v2's ranking_size (1..100, default 100)
  --client-nice N    measure with the client processes at nice N (default 0): with
                     N > 0 the server gets a core whenever it is runnable, so its
                     loop blocks are its own work, not the load generators' turns
  --baseline DIR     also run \`filmgrain-base\`: Filmgrain from another checkout (e.g. the
                     commit before a change), same run, same clients, same reference

Columns: lost = posts a client never got (the live cap applies only to v2 clients that
ask for it with live_cap; these do not, so every post is owed), cpu µs/deliv = server
CPU per post delivered to one client, reads/deliv = client data events per delivered
post (below 1 = coalesced), loop max = the worst event-loop block seen by the preloaded probe.
Each run's line also gives Filmgrain's flush passes and how many opened a coalescing
window (its /metrics): posts caught in a window waited up to --flush-window-max-ms.
`;

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '2000' },
    plain: { type: 'boolean', default: false },
    shape: { type: 'string', default: 'both' },
    mode: { type: 'string', default: 'max' },
    posts: { type: 'string' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    window: { type: 'string', default: '128' },
    targets: { type: 'string' },
    engine: { type: 'string', default: 'memory' },
    redis: { type: 'string' },
    runs: { type: 'string', default: '1' },
    workers: { type: 'string', default: '2' },
    'cpu-prof': { type: 'string' },
    out: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    'alt-args': { type: 'string' },
    'alt-node-args': { type: 'string' },
    websocket: { type: 'boolean', default: false },
    'client-nice': { type: 'string', default: '0' },
    protocol: { type: 'string', default: '1' },
    'ranking-size': { type: 'string', default: '100' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const clients = Number(values.clients);
const clientOptions = clientProtocol(values);
const clientNice = intOption('client-nice', values['client-nice'], 0, 19);
const mode = values.mode === 'rate' ? 'rate' : 'max';
const shapes: Shape[] =
  values.shape === 'both' ? ['one', 'skewed'] : [values.shape === 'skewed' ? 'skewed' : 'one'];
const engine = values.engine ?? 'memory';
const targets: string[] = values.targets?.split(',') ?? [
  'reference',
  ...(existsSync(NATS_SERVER) ? ['nats'] : []),
  ...(engine === 'redis' ? [] : ['filmgrain']),
  ...(engine === 'memory' ? [] : ['filmgrain-redis']),
];
if (values.websocket && !targets.includes('filmgrain-ws')) targets.push('filmgrain-ws');
if (values.baseline !== undefined && !targets.includes('filmgrain-base'))
  targets.push('filmgrain-base');
const altArgs = values['alt-args']?.split(/\s+/).filter((a) => a !== '');
const altNodeArgs = values['alt-node-args']?.split(/\s+/).filter((a) => a !== '');
if ((altArgs !== undefined || altNodeArgs !== undefined) && !targets.includes('filmgrain-alt'))
  targets.push('filmgrain-alt');
const kindOf = (t: string): TargetKind =>
  t.startsWith('filmgrain') ? 'filmgrain' : (t as TargetKind);
let redisUrl = values.redis;
let redisChild: ChildProcess | undefined;
if (redisUrl === undefined && targets.includes('filmgrain-redis')) {
  const port = await freePort();
  redisChild = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  redisUrl = `redis://127.0.0.1:${port}`;
  process.on('exit', () => redisChild?.kill('SIGKILL'));
  await new Promise((r) => setTimeout(r, 500));
}
const MAX_PER_PROCESS = 18_000;
const workers = Math.max(Number(values.workers), Math.ceil(clients / MAX_PER_PROCESS));
const posts =
  values.posts !== undefined
    ? Number(values.posts)
    : Math.max(200, Math.min(6000, Math.round(6_000_000 / clients)));
const runs = Number(values.runs);
const workDir = join(tmpdir(), 'filmgrain-bench');
mkdirSync(workDir, { recursive: true });
const cert = await ensureDevCertificate(workDir);
const ca = readFileSync(cert.certPath, 'utf8');
const movies = await benchMovies(100);
const tls = !values.plain;

const all: FanoutResult[][] = [];
const hardStop = setTimeout(
  () => {
    console.error('bench:fanout: time limit reached, stopping');
    process.exit(2);
  },
  Math.max(15, runs * shapes.length * targets.length * 3) * 60_000,
);
hardStop.unref();

let runIndex = Math.floor(Math.random() * 100);
for (let r = 0; r < runs; r++) {
  const rows: FanoutResult[] = [];
  for (const shape of shapes) {
    // Rotate the order each run so no target always goes first (warm caches, noise).
    const order = targets.map((_, k) => targets[(k + r) % targets.length]!);
    for (const target of order) {
      process.stderr.write(
        `run ${r + 1}/${runs} ${shape} ${target} ${tls ? 'tls' : 'plain'} ${clients} clients… `,
      );
      const row = await runFanout({
        target: kindOf(target),
        label: target,
        websocket: target === 'filmgrain-ws',
        shape,
        tls,
        clients,
        workers,
        mode,
        posts,
        rate: Number(values.rate),
        seconds: Number(values.seconds),
        window: Number(values.window),
        runIndex: runIndex++,
        clientNice,
        ...clientOptions,
        movies,
        target_: {
          certPath: cert.certPath,
          keyPath: cert.keyPath,
          ca,
          workDir,
          redis: target === 'filmgrain-redis' ? redisUrl : undefined,
          root: target === 'filmgrain-base' ? values.baseline : undefined,
          ...(target === 'filmgrain-alt' ? { extraArgs: altArgs, nodeArgs: altNodeArgs } : {}),
          cpuProfDir: values['cpu-prof'],
          verbose: values.verbose,
        },
      });
      process.stderr.write(
        `${(row.deliveriesPerSec / 1e6).toFixed(2)}M/s p99 ${row.p99Ms} ms loop max ${row.elMaxMs} ms (GC ${row.gcMaxMs} ms ${row.gcMaxKind ?? ''}, heap ${row.peakHeapMiB} MiB)${row.flushPasses === null ? '' : ` windows ${row.flushWindows}/${row.flushPasses} passes`}\n`,
      );
      rows.push(row);
    }
  }
  all.push(rows);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? Number.NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
type Num = {
  [K in keyof FanoutResult]: FanoutResult[K] extends number ? K : never;
}[keyof FanoutResult];
const NUMS: Num[] = [
  'deliveriesPerSec',
  'p50Ms',
  'p99Ms',
  'p999Ms',
  'maxMs',
  'lost',
  'duplicated',
  'cut',
  'cpuPct',
  'cpuSec',
  'cpuUsPerDelivery',
  'reads',
  'peakRssMiB',
  'connectSec',
  'posts',
  'deliveries',
];

const medians: Record<string, Record<string, number | null>> = {};
const ratios: Record<string, Record<string, number>> = {};
for (const shape of shapes) {
  for (const target of targets) {
    const rows = all.map((rs) => rs.find((x) => x.shape === shape && x.target === target)!);
    const m: Record<string, number | null> = {};
    for (const k of NUMS) m[k] = median(rows.map((x) => x[k]));
    const el = rows.map((x) => x.elMaxMs).filter((x): x is number => x !== null);
    m.elMaxMs = el.length ? median(el) : null;
    medians[`${shape}/${target}`] = m;
  }
  const ours = targets.filter((t) => t.startsWith('filmgrain'));
  for (const [mine, peer] of ours.flatMap((f) =>
    targets
      .filter(
        (t) =>
          t !== f &&
          !(f === 'filmgrain' && t === 'filmgrain-redis') &&
          !(f === 'filmgrain-base' && t.startsWith('filmgrain')) &&
          !(f === 'filmgrain-alt' && t !== 'filmgrain' && t !== 'reference'),
      )
      .map((t) => [f, t] as const),
  )) {
    const per = all.map((rs) => {
      const f = rs.find((x) => x.shape === shape && x.target === mine)!;
      const o = rs.find((x) => x.shape === shape && x.target === peer)!;
      return {
        rate: f.deliveriesPerSec / o.deliveriesPerSec,
        p99: f.p99Ms / o.p99Ms,
        cpu: f.cpuUsPerDelivery / o.cpuUsPerDelivery,
      };
    });
    ratios[`${shape}: ${mine}/${peer}`] = {
      deliveriesPerSec: Math.round(median(per.map((x) => x.rate)) * 100) / 100,
      p99: Math.round(median(per.map((x) => x.p99)) * 100) / 100,
      cpuPerDelivery: Math.round(median(per.map((x) => x.cpu)) * 100) / 100,
    };
  }
}

const machine = describeMachine();
const fmt = (v: number | null | undefined, d = 0) =>
  v === null || v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d);
const header = [
  'shape',
  'target',
  'deliv/s',
  'p50 ms',
  'p99 ms',
  'p99.9',
  'max',
  'lost',
  'dup',
  'cut',
  'cpu %',
  'cpu µs/deliv',
  'reads/deliv',
  'peak MiB',
  'loop max ms',
];
const lines = [header];
for (const [key, m] of Object.entries(medians)) {
  const [shape, target] = key.split('/');
  lines.push([
    shape!,
    target!,
    fmt(m.deliveriesPerSec),
    fmt(m.p50Ms, 2),
    fmt(m.p99Ms, 2),
    fmt(m.p999Ms, 2),
    fmt(m.maxMs, 1),
    fmt(m.lost),
    fmt(m.duplicated),
    fmt(m.cut),
    fmt(m.cpuPct),
    fmt(m.cpuUsPerDelivery, 2),
    m.deliveries ? fmt((m.reads ?? 0) / m.deliveries, 2) : '-',
    fmt(m.peakRssMiB),
    fmt(m.elMaxMs, 1),
  ]);
}
const widths = header.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
const table = lines
  .map((l) => l.map((x, c) => (c < 2 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  '))
  .join('\n');
const summary = [
  `bench:fanout  ${tls ? 'TLS' : 'plain TCP'}  ${clients} clients  ${mode === 'max' ? `max, ${posts} posts` : `${values.rate} posts/s for ${values.seconds} s`}  engine ${engine}  runs ${runs} (medians)`,
  `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.kernel}, load ${machine.loadAverage.join(' ')}`,
  '',
  table,
  '',
  ...Object.entries(ratios).map(
    ([k, v]) =>
      `${k}: deliveries/s ×${v.deliveriesPerSec}, p99 ×${v.p99}, CPU per delivered post ×${v.cpuPerDelivery}`,
  ),
].join('\n');
console.log(summary);

mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const out =
  values.out ??
  join(ROOT, 'bench/results', `fanout-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  out,
  `${JSON.stringify({ kind: 'fanout', at: new Date().toISOString(), machine, params: { clients, tls, mode, posts, rate: Number(values.rate), seconds: Number(values.seconds), window: Number(values.window), shapes, targets, engine, runs, workers }, medians, ratios, runs: all }, null, 2)}\n`,
);
console.log(`\nresults: ${out}`);
process.exit(0);

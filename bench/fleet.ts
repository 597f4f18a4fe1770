/**
 * `npm run bench:fleet` — many concurrent TLS clients on one machine across several
 * endpoint processes (issue 7 §4: 100,000), all listed for discovery: its own
 * redis-server, K `filmgrain endpoint` processes on Redis, one `filmgrain directory`
 * writing endpoints.json, and load-generator children (< 19,000 sockets each: the
 * machine caps every process at 20,000 open files). Prints per-endpoint connections and
 * RSS, what endpoints.json lists, and the all-in bytes per connection. Bounded: it stops
 * by itself after `--limit-s` seconds whatever happens.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { killAll, startCli, startEndpointProcess } from '../harness/processes.js';
import { RedisServer } from '../harness/redis-servers.js';
import { sleep } from '../harness/until.js';
import { ensureDevCertificate } from '../src/endpoint/dev-cert.js';
import type { FromWorker, ToWorker } from './client-worker.js';
import { describeMachine } from './lib/machine.js';
import { memory } from './lib/proc.js';
import { ROOT } from './lib/targets.js';
import { benchMovies } from './lib/workload.js';

const HELP = `usage: npm run bench:fleet -- [options]

  --clients N     TLS clients in all (default 100000)
  --endpoints K   endpoint processes (default 6; each holds < 19,000)
  --per-process N clients per load-generator process (default 17000)
  --limit-s S     stop after this many seconds whatever happens (default 900)
`;
const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    endpoints: { type: 'string', default: '6' },
    'per-process': { type: 'string', default: '17000' },
    'limit-s': { type: 'string', default: '900' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const total = Number(values.clients);
const K = Number(values.endpoints);
const perProcess = Math.min(18_000, Number(values['per-process']));
if (Math.ceil(total / K) >= 19_000) throw new Error('more than 19,000 clients per endpoint');

/** Load-generator children; the filmgrain processes are the harness's (killAll). */
const children: ChildProcess[] = [];
let redisServer: RedisServer | undefined;
const stopAll = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  void killAll(); // sends every SIGKILL before it returns: safe in an 'exit' handler
};
const hardStop = setTimeout(() => {
  console.error('bench:fleet: time limit reached, stopping');
  stopAll();
  void (redisServer?.destroy() ?? Promise.resolve()).finally(() => process.exit(2));
}, Number(values['limit-s']) * 1000);
hardStop.unref();
process.on('exit', stopAll);

const workDir = join(tmpdir(), 'filmgrain-bench-fleet');
mkdirSync(workDir, { recursive: true });
const cert = await ensureDevCertificate(workDir);
const ca = readFileSync(cert.certPath, 'utf8');
const movie = (await benchMovies(1))[0]!;

// Its own redis-server on a spare port (waits until it answers); killed at the end.
redisServer = await RedisServer.start();
const redis = redisServer.url;
const deployment = `fleet${process.pid}`;
const endpoints: { pid: number; port: number; id: string }[] = [];
for (let k = 0; k < K; k++) {
  const ep = await startEndpointProcess(
    redis,
    deployment,
    [
      '--max-connections',
      '19000',
      '--heartbeat',
      '1000',
      '--idle-timeout',
      '3600000',
      '--handshake-timeout',
      '3600000',
      '--handshakes-per-second',
      '0',
      // The connect storm blocks event loops past the overload mark; shedding would then
      // redirect clients this load generator does not follow (seen: 1,000 of 100,000).
      '--event-loop-high',
      '0',
    ],
    cert,
  );
  endpoints.push({ pid: ep.proc.child.pid!, port: ep.port, id: ep.id });
}
const listPath = join(workDir, `endpoints-${process.pid}.json`);
await startCli([
  'directory',
  '--redis',
  redis,
  '--deployment',
  deployment,
  '--out',
  listPath,
  '--poll-ms',
  '1000',
  '--refresh-ms',
  '2000',
]).waitFor(/publishing to/, 60_000);
await sleep(2500);
const baseRss = endpoints.map((e) => memory(e.pid).rss);

const workers: ChildProcess[] = [];
const done: { ok: number; failed: number; ms: number }[] = [];
/** Clients whose connection closed after it had opened, per worker. */
const closedAfter: number[] = [];
const t0 = performance.now();
const nWorkers = Math.ceil(total / perProcess);
for (let w = 0; w < nWorkers; w++) {
  const n = Math.min(perProcess, total - w * perProcess);
  const child = fork(join(ROOT, 'bench/client-worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  workers.push(child);
  child.on('message', (m: FromWorker) => {
    if (m.type === 'connected') done[w] = m;
    else if (m.type === 'progress') closedAfter[w] = m.closed;
  });
  // Worker w's clients are spread over the endpoints in turn (w, w+1, …) so each
  // endpoint gets an equal share; discovery's own random choice is measured in
  // test/discovery/balance.test.ts.
  const ep = endpoints[w % K]!;
  child.send({
    type: 'start',
    target: 'filmgrain',
    host: '127.0.0.1',
    port: ep.port,
    tls: true,
    ca,
    movies: new Array<number>(n).fill(movie.id),
    localAddresses: Array.from(
      { length: 40 },
      (_, i) => `127.${100 + (process.pid % 100)}.${w + 1}.${i + 1}`,
    ),
    resume: true,
    concurrency: 64,
  } satisfies ToWorker);
}
while (done.filter(Boolean).length < nWorkers) await sleep(500);
const connected = done.reduce((a, d) => a + d.ok, 0);
const failed = done.reduce((a, d) => a + d.failed, 0);
const connectS = (performance.now() - t0) / 1000;
// Heartbeats carry the counts and the directory rewrites the file: wait (bounded) until
// the published figures add up, as a client reading endpoints.json would see them.
type Listed = { endpoints: { id: string; port: number; connections: number }[] };
const readList = (): Listed => JSON.parse(readFileSync(listPath, 'utf8')) as Listed;
let list = readList();
const settleS = performance.now();
const stillOpen = () => connected - closedAfter.reduce((a, n) => a + (n ?? 0), 0);
for (let i = 0; i < 60; i++) {
  list = readList();
  if (list.endpoints.reduce((a, e) => a + e.connections, 0) === stillOpen()) break;
  await sleep(1000);
}
console.log(
  `endpoints.json figures settled ${((performance.now() - settleS) / 1000).toFixed(1)} s after the last connect`,
);
const rows = endpoints.map((e, i) => {
  const listed = list.endpoints.find((l) => l.id === e.id);
  const rss = memory(e.pid).rss;
  return {
    id: e.id,
    port: e.port,
    listed: listed !== undefined,
    connections: listed?.connections ?? 0,
    rssMiB: rss / 2 ** 20,
    deltaMiB: (rss - baseRss[i]!) / 2 ** 20,
  };
});
const machine = describeMachine();
console.log(`bench:fleet — ${machine.cpuModel}, ${machine.cores} cores, node ${process.version}`);
console.log(
  `clients connected ${connected} of ${total} (${failed} failed) in ${connectS.toFixed(1)} s over ${K} endpoint processes`,
);
console.log('endpoint                          port   listed  connections   RSS MiB  +MiB');
for (const r of rows)
  console.log(
    `${r.id.padEnd(32)} ${String(r.port).padEnd(6)} ${String(r.listed).padEnd(7)} ${String(r.connections).padStart(11)} ${r.rssMiB.toFixed(0).padStart(9)} ${r.deltaMiB.toFixed(0).padStart(5)}`,
  );
const listedConnections = rows.reduce((a, r) => a + r.connections, 0);
const deltaBytes = rows.reduce((a, r) => a + r.deltaMiB, 0) * 2 ** 20;
console.log(`clients still open ${stillOpen()} (closed after opening: ${connected - stillOpen()})`);
console.log(
  `endpoints.json lists ${list.endpoints.length} endpoints holding ${listedConnections} connections`,
);
console.log(
  `endpoint RSS per connection ${(deltaBytes / Math.max(1, connected) / 1024).toFixed(1)} KiB`,
);
for (const w of workers) w.send({ type: 'close' } satisfies ToWorker);
await sleep(500);
stopAll();
await redisServer.destroy();
process.exit(
  connected === total && list.endpoints.length === K && listedConnections === stillOpen() ? 0 : 1,
);

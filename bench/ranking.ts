/**
 * `npm run bench:ranking`: what the ranking costs one client, measured from outside.
 * Starts `filmgrain start` (default synthetic stream, or `--rate N`), connects raw TLS
 * clients that know only PROTOCOL.md — a v1 client and v2 clients of `ranking_size`
 * 100 and 20 — and for `--minutes` (default 5) counts the bytes each receives and
 * extrapolates to bytes per hour. The v2 clients apply every `update_movies` with their
 * own implementation of PROTOCOL.md's apply rule (deliberately not src/protocol's, so
 * the text is what is tested), and every list they hold is compared with the v1
 * client's `set_movies` of the same `generated_at` (the latest one at or before it when
 * the v2 push changed only trends, which v1 lists do not carry).
 *
 *   npm run bench:ranking -- [--minutes 5] [--rate 20]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '5' }, rate: { type: 'string' } },
});
const minutes = Number(values.minutes);
const rate = values.rate;

type Entry = { id: number; title: string; count: number; rank?: number; [k: string]: unknown };

/** PROTOCOL.md § 5: count descending, title by code point (UTF-8 bytes), id ascending. */
function order(a: Entry, b: Entry): number {
  return (
    b.count - a.count || Buffer.compare(Buffer.from(a.title), Buffer.from(b.title)) || a.id - b.id
  );
}

/** PROTOCOL.md § 5, the apply rule, written from the text. */
function apply(list: Entry[], movies: Entry[], removed: number[]): Entry[] {
  const byId = new Map(list.map((m) => [m.id, { ...m }]));
  for (const id of removed) byId.delete(id);
  for (const e of movies) {
    const old = byId.get(e.id);
    if (old === undefined) {
      if (typeof e.title !== 'string' || typeof e.count !== 'number')
        throw new Error(`movie ${e.id} entered without title/count`);
      byId.set(e.id, { ...e });
    } else Object.assign(old, e);
  }
  const out = [...byId.values()].sort(order);
  out.forEach((m, i) => {
    m.rank = i + 1;
  });
  return out;
}

const stripTrend = (l: Entry[]) => l.map(({ trend: _t, ...m }) => m);

interface Client {
  name: string;
  bytes: number;
  rankingBytes: number;
  fullLists: number;
  updates: number;
  list: Entry[];
  generatedAt: number;
  /** v2: each list held, by generated_at, as JSON without trend. */
  held: [number, string][];
  /** v1: each list by generated_at, as JSON. */
  v1: Map<number, string>;
  close(): void;
}

function client(
  name: string,
  port: number,
  ca: Buffer,
  connect: Record<string, unknown>,
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c: Client = {
      name,
      bytes: 0,
      rankingBytes: 0,
      fullLists: 0,
      updates: 0,
      list: [],
      generatedAt: 0,
      held: [],
      v1: new Map(),
      close: () => socket.destroy(),
    };
    const v2 = connect.version === 2;
    let rest = '';
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      socket.write(`${JSON.stringify({ action: 'connect', params: connect })}\n`);
      resolve(c);
    });
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      c.bytes += chunk.length;
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        if (line === '') continue;
        const m = JSON.parse(line) as { action: string; params: Record<string, unknown> };
        if (m.action !== 'set_movies' && m.action !== 'update_movies') continue;
        c.rankingBytes += Buffer.byteLength(line) + 1;
        const p = m.params;
        if (m.action === 'set_movies') {
          c.list = p.movies as Entry[];
          c.fullLists++;
        } else {
          c.list = apply(c.list, p.movies as Entry[], p.removed as number[]);
          c.updates++;
        }
        c.generatedAt = p.generated_at as number;
        if (v2) c.held.push([c.generatedAt, JSON.stringify(stripTrend(c.list))]);
        else c.v1.set(c.generatedAt, JSON.stringify(c.list));
      }
    });
    // PROTOCOL.md § 7: a ping at least every 15 s.
    const ping = setInterval(() => socket.write('{"action":"ping","params":{}}\n'), 15_000);
    socket.on('close', () => clearInterval(ping));
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-ranking-'));
  const args = ['dist/src/cli/main.js', 'start', '--port', '0', '--data-dir', dataDir];
  if (rate !== undefined) args.push('--rate', rate);
  const proc: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const seen = (d: Buffer) => {
      out += d.toString();
      const m = /endpoint\s+tls:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m && /--ca /.test(out)) resolve(Number(m[1]));
    };
    proc.stdout!.on('data', seen);
    proc.stderr!.on('data', seen);
    proc.on('exit', (code) => reject(new Error(`filmgrain start exited ${code}:\n${out}`)));
  });
  const ca = readFileSync(join(dataDir, 'dev-cert.pem'));
  const clients = [
    await client('v1', port, ca, {}),
    await client('v2 size 100', port, ca, { version: 2 }),
    await client('v2 size 20', port, ca, { version: 2, ranking_size: 20 }),
  ];
  const started = Date.now();
  await new Promise((r) => setTimeout(r, minutes * 60_000));
  const seconds = (Date.now() - started) / 1000;
  for (const c of clients) c.close();
  proc.kill('SIGINT');

  const v1 = clients[0]!;
  const v1Times = [...v1.v1.keys()].sort((a, b) => a - b);
  const v1At = (g: number): Entry[] | null => {
    let best: number | undefined;
    for (const t of v1Times) if (t <= g) best = t;
    return best === undefined ? null : (JSON.parse(v1.v1.get(best)!) as Entry[]);
  };
  console.log(
    `bench:ranking — filmgrain start, synthetic stream ${rate ?? 'default (20)'} posts/s, ${seconds.toFixed(0)} s, extrapolated to one hour`,
  );
  console.log(
    '| client | bytes received | MB/hour (all) | MB/hour (ranking lines) | full lists | updates | lists checked | mismatches |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  let failed = false;
  for (const c of clients) {
    let checked = 0;
    let bad = 0;
    const size = c.name.endsWith('20') ? 20 : 100;
    for (const [g, json] of c.held) {
      const want = v1At(g);
      if (want === null) continue;
      checked++;
      if (JSON.stringify(want.slice(0, size)) !== json) bad++;
    }
    if (bad > 0) failed = true;
    const perHour = (b: number) => ((b * 3600) / seconds / 1e6).toFixed(2);
    console.log(
      `| ${c.name} | ${c.bytes} | ${perHour(c.bytes)} | ${perHour(c.rankingBytes)} | ${c.fullLists} | ${c.updates} | ${c.name === 'v1' ? '—' : checked} | ${c.name === 'v1' ? '—' : bad} |`,
    );
  }
  if (failed) {
    console.log('MISMATCH: a v2 list differed from the v1 list of the same generated_at');
    process.exitCode = 1;
  }
}

await main();

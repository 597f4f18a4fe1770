/**
 * `npm run bench:tls-buffers` — what an idle TLS connection costs a Node process, by
 * write pattern (issue 11 §3): which writes leave which buffer behind. For each
 * pattern a fresh server process (Filmgrain's TLS settings, nothing else) accepts N
 * connections from a client process, writes the pattern to every one of them, lets the
 * clients read it all, collects garbage, and reports its RSS growth per connection.
 *
 * Why patterns: Node's TLSWrap encrypts into a memory BIO (NodeBIO, src/crypto/
 * crypto_bio.cc) whose first buffer is 1 KiB; a TLS record that does not fit there
 * (plaintext > ~1 KB, or several records queued before the socket took the first) makes
 * it allocate a 16 KiB buffer, and the ring never shrinks below two buffers, so that
 * memory stays for the life of the connection. OpenSSL's own record buffers are kept
 * too (Node does not set SSL_MODE_RELEASE_BUFFERS); only the pages a write touched count.
 *
 *   npm run bench:tls-buffers -- [--clients N] [--patterns a,b,...]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { ensureDevCertificate } from '../src/endpoint/dev-cert.js';
import { tlsContextOptions } from '../src/endpoint/tls-settings.js';
import { memory } from './lib/proc.js';

/** A pattern: the writes each connection gets, and whether they wait for each other. */
interface Pattern {
  sizes: number[];
  /** 'turns': each write after the previous one left (its callback); 'tick': all at once. */
  pacing: 'turns' | 'tick';
  /** Full handshakes (no session resumption). */
  full?: boolean;
}

const PATTERNS: Record<string, Pattern> = {
  idle: { sizes: [], pacing: 'turns' },
  'idle-full-handshake': { sizes: [], pacing: 'turns', full: true },
  w300: { sizes: [300], pacing: 'turns' },
  w990: { sizes: [990], pacing: 'turns' },
  w1100: { sizes: [1100], pacing: 'turns' },
  w2000: { sizes: [2000], pacing: 'turns' },
  w7200: { sizes: [7200], pacing: 'turns' },
  'w7200-as-8x900-turns': { sizes: new Array(8).fill(900), pacing: 'turns' },
  'w7200-as-8x900-tick': { sizes: new Array(8).fill(900), pacing: 'tick' },
  'w300-x20-turns': { sizes: new Array(20).fill(300), pacing: 'turns' },
};

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'main' },
    clients: { type: 'string', default: '3000' },
    patterns: { type: 'string' },
    port: { type: 'string' },
    pattern: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    `usage: npm run bench:tls-buffers -- [--clients N] [--patterns ${Object.keys(PATTERNS).join(',')}]\n`,
  );
  process.exit(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const workDir = join(tmpdir(), 'filmgrain-bench');
const cert = await ensureDevCertificate(workDir);

if (values.role === 'server') await server();
else if (values.role === 'clients') await clients();
else await main();

async function server(): Promise<void> {
  const pattern = PATTERNS[values.pattern!]!;
  const sockets: tls.TLSSocket[] = [];
  const srv = tls.createServer(
    tlsContextOptions({ cert: readFileSync(cert.certPath), key: readFileSync(cert.keyPath) }),
    (s) => {
      s.setNoDelay(true);
      s.on('error', () => {});
      s.on('data', () => {});
      sockets.push(s);
    },
  );
  const gc = (globalThis as { gc?: () => void }).gc!;
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(200);
    }
    return memory(process.pid).rss;
  };
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'measure-base') process.send!({ type: 'rss', rss: await settle() });
    else if (m.type === 'write') {
      // One Buffer per size shared by every socket, as a fan-out encodes once: the
      // figure is what the connection keeps, not garbage the allocator holds on to.
      const shared = new Map<number, Buffer>();
      const payload = (n: number) => {
        let b = shared.get(n);
        if (b === undefined) {
          b = Buffer.from(`${'x'.repeat(n - 1)}\n`);
          shared.set(n, b);
        }
        return b;
      };
      await Promise.all(
        sockets.map(async (s) => {
          if (pattern.pacing === 'tick') {
            for (const n of pattern.sizes) s.write(payload(n));
            return;
          }
          for (const n of pattern.sizes)
            await new Promise<void>((r) => s.write(payload(n), () => r()));
        }),
      );
      await sleep(1000);
      process.send!({ type: 'rss', rss: await settle(), sockets: sockets.length });
    }
  });
  srv.listen(0, '127.0.0.1', () =>
    process.send!({ type: 'listening', port: (srv.address() as net.AddressInfo).port }),
  );
}

async function clients(): Promise<void> {
  const n = Number(values.clients);
  const port = Number(values.port);
  const full = PATTERNS[values.pattern!]!.full === true;
  const ca = readFileSync(cert.certPath);
  let session: Buffer | undefined;
  const held: tls.TLSSocket[] = [];
  const open = (i: number) =>
    new Promise<void>((resolve) => {
      const s = tls.connect(
        {
          host: '127.0.0.1',
          port,
          ca,
          servername: 'localhost',
          localAddress: `127.77.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`,
          ...(session && !full ? { session } : {}),
        } as tls.ConnectionOptions,
        () => resolve(),
      );
      s.on('session', (t: Buffer) => {
        session = t;
      });
      s.on('data', () => {});
      s.on('error', () => resolve());
      held.push(s);
    });
  await open(0);
  await sleep(100); // the session ticket arrives after the handshake (TLS 1.3)
  let next = 1;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < n) await open(next++);
    }),
  );
  process.send!({ type: 'connected', n: held.length });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'close') process.exit(0);
  });
}

function child(args: string[], execArgv: string[] = []): ChildProcess {
  return fork(join(import.meta.dirname, 'tls-buffers.ts'), args, {
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function nextMessage<T>(c: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      c.off('message', on);
      resolve(m as T);
    };
    c.on('message', on);
  });
}

async function main(): Promise<void> {
  const n = Number(values.clients);
  const names = values.patterns?.split(',') ?? Object.keys(PATTERNS);
  const rows: string[][] = [['pattern', 'writes', 'KiB per connection (RSS, after GC)']];
  for (const name of names) {
    if (PATTERNS[name] === undefined) throw new Error(`unknown pattern ${name}`);
    const srv = child(['--role', 'server', '--pattern', name], ['--expose-gc']);
    const { port } = await nextMessage<{ port: number }>(srv, 'listening');
    srv.send({ type: 'measure-base' });
    const base = (await nextMessage<{ rss: number }>(srv, 'rss')).rss;
    const cl = child([
      '--role',
      'clients',
      '--clients',
      String(n),
      '--port',
      String(port),
      '--pattern',
      name,
    ]);
    const { n: connected } = await nextMessage<{ n: number }>(cl, 'connected');
    await sleep(500);
    srv.send({ type: 'write' });
    const after = await nextMessage<{ rss: number; sockets: number }>(srv, 'rss');
    const per = (after.rss - base) / after.sockets / 1024;
    const p = PATTERNS[name]!;
    rows.push([
      name,
      p.sizes.length === 0 ? '-' : `${p.sizes.length} × ${p.sizes[0]} B (${p.pacing})`,
      `${per.toFixed(1)} (${after.sockets}/${connected} sockets)`,
    ]);
    process.stderr.write(`${name}: ${per.toFixed(1)} KiB/connection\n`);
    cl.send({ type: 'close' });
    srv.kill('SIGKILL');
    await sleep(300);
    cl.kill('SIGKILL');
  }
  const w = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(`bench:tls-buffers  ${n} TLS connections per pattern, node ${process.version}\n`);
  for (const r of rows) console.log(r.map((x, c) => x.padEnd(w[c]!)).join('  '));
  process.exit(0);
}

/**
 * Measurement (not a CI test): does a TLS handshake flood starve established clients?
 * Runs `filmgrain start` as a child with a given --handshakes-per-second, keeps one
 * established client pinging every 20 ms, floods new TLS connections from this process
 * for a few seconds, and prints the established client's ping round trips.
 *
 *   node --import tsx test/hardening/handshake-flood.ts [rate ...]   (default: 0 200)
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineClient } from '../../harness/line-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = join(tmpdir(), 'filmgrain-flood');
const FLOOD_MS = 4000;
const CONCURRENCY = 64;
const FLOODER = `
  const tls = require('node:tls');
  const ca = require('node:fs').readFileSync(process.argv[2]);
  const port = Number(process.argv[1]);
  let ok = 0, refused = 0;
  const end = Date.now() + ${FLOOD_MS};
  const one = () => new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => { ok++; s.destroy(); resolve(); });
    s.on('error', () => { refused++; resolve(); });
  });
  const worker = async () => { while (Date.now() < end) await one(); };
  Promise.all(Array.from({ length: ${CONCURRENCY} }, worker)).then(() => console.log(JSON.stringify({ ok, refused })));
`;

async function measure(rate: number): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'start',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--handshakes-per-second',
      String(rate),
      '--handshake-burst',
      String(rate),
      '--rate',
      '5',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  while (!/tls:\/\/127\.0\.0\.1:(\d+)/.test(out)) await new Promise((r) => setTimeout(r, 50));
  const port = Number(/tls:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
  const ca = await readFile(join(dataDir, 'dev-cert.pem'));
  const c = await LineClient.connect({ port, ca });
  c.socket.setNoDelay(true);
  c.send('connect', {});
  await c.nextOf('set_movies');
  const rtts: number[] = [];
  c.socket.on('data', () => {
    for (const m of c.drain())
      if (m.action === 'pong' && typeof m.params.ts === 'number')
        rtts.push(performance.now() - m.params.ts);
  });
  const pinger = setInterval(() => c.send('ping', { ts: performance.now() }), 20);
  // The flood runs in its own process so its client-side TLS work does not delay our pings.
  const flooder = spawn(
    process.execPath,
    ['-e', FLOODER, String(port), join(dataDir, 'dev-cert.pem')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let report = '';
  flooder.stdout.setEncoding('utf8').on('data', (d: string) => {
    report += d;
  });
  await new Promise((r) => flooder.once('close', r));
  const { ok, refused } = JSON.parse(report) as { ok: number; refused: number };
  clearInterval(pinger);
  await new Promise((r) => setTimeout(r, 200));
  rtts.sort((a, b) => a - b);
  const q = (p: number) => (rtts[Math.floor((rtts.length - 1) * p)] ?? Number.NaN).toFixed(1);
  console.log(
    `handshakes-per-second=${rate || 'off'}: ${ok} handshakes done, ${refused} refused in ${FLOOD_MS / 1000}s; ` +
      `established client ping p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms (${rtts.length} pings)`,
  );
  c.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
}

const rates = process.argv.slice(2).map(Number);
for (const rate of rates.length > 0 ? rates : [0, 200]) await measure(rate);

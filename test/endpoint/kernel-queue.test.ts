/**
 * The kernel send-queue reader (src/endpoint/kernel-queue.ts): its offset-based parse of
 * /proc/net/tcp and tcp6 gives exactly what splitting every row into fields gives, on
 * hand-written rows (IPv4, IPv6, IPv4-mapped, row numbers past 9999 that widen `sl`)
 * and on this machine's own tables with real sockets holding unsent bytes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, connect as netConnect, type Socket } from 'node:net';
import { test } from 'node:test';
import { parseTcpTable, socketKey } from '../../src/endpoint/kernel-queue.js';

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

/** The reading by fields, the obvious way (what the offsets must agree with). */
function bySplitting(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const tx = Number.parseInt(f[4]!.split(':')[0]!, 16);
    if (!(tx > 0)) continue;
    const [, lport] = f[1]!.split(':');
    const [raddr, rport] = f[2]!.split(':');
    out.set(`${Number.parseInt(lport!, 16)}>${decode(raddr!)}:${Number.parseInt(rport!, 16)}`, tx);
  }
  return out;
}

function decode(hex: string): string {
  if (hex.length === 8) {
    const b = Buffer.from(hex, 'hex');
    return `${b[3]}.${b[2]}.${b[1]}.${b[0]}`;
  }
  const bytes = Buffer.concat(
    [0, 8, 16, 24].map((i) => Buffer.from(hex.slice(i, i + 8), 'hex').reverse()),
  );
  if (bytes.subarray(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

const row = (sl: number, local: string, remote: string, tx: string) =>
  `${String(sl).padStart(4)}: ${local} ${remote} 01 ${tx}:00000000 00:00000000 00000000  1000        0 123 1 0000000000000000 20 4 30 10 -1\n`;

test('hand-written rows: IPv4, IPv6, IPv4-mapped, wide row numbers, empty queues skipped', () => {
  const text =
    HEADER +
    row(0, '0100007F:1287', '0100007F:D431', '00000000') +
    row(1, '0100007F:1287', '0264007F:9C40', '1002BF20') +
    row(12345, '0100007F:1287', '0A01007F:0050', '20000001') +
    row(
      2,
      '00000000000000000000000001000000:1287',
      '00000000000000000000000001000000:C350',
      '00001000',
    ) +
    row(
      3,
      '0000000000000000FFFF00000100007F:1287',
      '0000000000000000FFFF00000501007F:C351',
      '00000010',
    ) +
    'garbage line\n';
  const got = parseTcpTable(text);
  assert.deepEqual(got, bySplitting(text));
  assert.deepEqual(
    [...got],
    [
      [socketKey(0x1287, '127.0.100.2', 0x9c40), 0x1002bf20],
      [socketKey(0x1287, '127.0.1.10', 80), 0x20000001],
      [socketKey(0x1287, '::1', 0xc350), 0x1000],
      [socketKey(0x1287, '127.0.1.5', 0xc351), 0x10],
    ],
  );
});

test("this machine's tables, with sockets whose peer does not read", async () => {
  const held: Socket[] = [];
  const server = createServer((s) => {
    held.push(s);
    s.pause(); // never reads: the writer's bytes sit in its kernel send queue
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const writers: Socket[] = [];
  try {
    // More than the peer's receive buffer and our send buffer hold: bytes must wait in
    // each writer's kernel send queue (tx_queue), the rest in user space.
    for (let i = 0; i < 3; i++) {
      const c = netConnect({ port, host: '127.0.0.1' });
      await new Promise((r) => c.once('connect', r));
      c.write(Buffer.alloc(16 * 1024 * 1024));
      writers.push(c);
    }
    await new Promise((r) => setTimeout(r, 300));
    const text = readFileSync('/proc/net/tcp', 'latin1');
    const got = parseTcpTable(text);
    assert.deepEqual(got, bySplitting(text));
    for (const w of writers) {
      const key = socketKey(w.localPort!, w.remoteAddress!, w.remotePort!);
      assert.ok((got.get(key) ?? 0) > 64 * 1024, `${key}: ${got.get(key)} bytes queued`);
    }
    try {
      const text6 = readFileSync('/proc/net/tcp6', 'latin1');
      assert.deepEqual(parseTcpTable(text6), bySplitting(text6));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // no IPv6 here
    }
  } finally {
    for (const s of [...writers, ...held]) s.destroy();
    await new Promise((r) => server.close(r));
  }
});

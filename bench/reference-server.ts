/**
 * The bare reference: the fastest plain Node broadcast server we know how to write, the
 * ceiling Filmgrain's endpoint is compared with (issue 7 §1). It does nothing but read
 * `<movie> <line>\n` from standard input and write `<line>\n` to every client that sent
 * `sub <movie>\n`: each input line is sliced from the stdin chunk (never copied or
 * re-encoded), each client's pending lines are written once per event-loop turn
 * (`Buffer.concat`, one `write` — one TLS record per turn), no timers, no parsing
 * beyond the movie number, no limits.
 *
 *   node --import tsx bench/reference-server.ts --port 0 [--cert FILE --key FILE]
 * prints `listening <port>` on stdout.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
});

interface Client {
  socket: net.Socket;
  pending: Buffer[];
  bytes: number;
  dirty: boolean;
}

const audiences = new Map<number, Client[]>();
let dirty: Client[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const batch = dirty;
  dirty = [];
  for (const c of batch) {
    c.dirty = false;
    const data = c.pending.length === 1 ? c.pending[0]! : Buffer.concat(c.pending, c.bytes);
    c.pending = [];
    c.bytes = 0;
    c.socket.write(data);
  }
}

function publish(movie: number, line: Buffer): void {
  const audience = audiences.get(movie);
  if (audience === undefined) return;
  for (const c of audience) {
    c.pending.push(line);
    c.bytes += line.length;
    if (!c.dirty) {
      c.dirty = true;
      dirty.push(c);
    }
  }
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

function onClient(socket: net.Socket): void {
  socket.setNoDelay(true);
  const client: Client = { socket, pending: [], bytes: 0, dirty: false };
  let movie = -1;
  let head = '';
  socket.on('data', (chunk: Buffer) => {
    if (movie !== -1) return;
    head += chunk.toString('latin1');
    const m = /^sub (\d+)\n/.exec(head);
    if (m === null) return;
    movie = Number(m[1]);
    let audience = audiences.get(movie);
    if (audience === undefined) {
      audience = [];
      audiences.set(movie, audience);
    }
    audience.push(client);
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    const audience = audiences.get(movie);
    if (audience === undefined) return;
    const at = audience.indexOf(client);
    if (at !== -1) audience.splice(at, 1);
  });
}

let rest: Buffer | null = null;
process.stdin.on('data', (chunk: Buffer) => {
  let buf = chunk;
  if (rest !== null) {
    buf = Buffer.concat([rest, chunk]);
    rest = null;
  }
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(10, start);
    if (nl === -1) break;
    let movie = 0;
    let p = start;
    for (let c = buf[p]!; c >= 48 && c <= 57; c = buf[++p]!) movie = movie * 10 + (c - 48);
    publish(movie, buf.subarray(p + 1, nl + 1));
    start = nl + 1;
  }
  if (start < buf.length) rest = Buffer.from(buf.subarray(start));
});
process.stdin.on('end', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

const server =
  values.cert !== undefined && values.key !== undefined
    ? tls.createServer(
        { cert: readFileSync(values.cert), key: readFileSync(values.key), minVersion: 'TLSv1.2' },
        onClient,
      )
    : net.createServer(onClient);
server.listen(Number(values.port), values.host, () => {
  console.log(`listening ${(server.address() as net.AddressInfo).port}`);
});

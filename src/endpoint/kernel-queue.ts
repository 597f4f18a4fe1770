/**
 * The kernel's send queue per TCP socket, read from /proc/net/tcp and /proc/net/tcp6
 * (Linux). Node cannot set SO_SNDBUF on a TCP socket nor ask for SIOCOUTQ, and on
 * loopback the kernel auto-tunes a socket's send buffer up to `tcp_wmem` max (4 MiB
 * here): a client that stops reading had 2.8-3.0 MB sitting there, invisible to
 * `socket.writableLength` (issue 15). /proc/net/tcp's `tx_queue` column is exactly those
 * bytes (unsent plus sent-but-unacknowledged), so the endpoint counts them against the
 * slow-consumer bound (PROTOCOL.md § 7 Slow consumers).
 *
 * Cost: one read of the table per check (~150 bytes per socket); lines whose tx_queue is
 * zero are skipped without splitting. Elsewhere than Linux the table is absent and the
 * bound counts user-space bytes only (`available` is false).
 */
import { readFile } from 'node:fs/promises';

/** The key of a socket in the table: `<local port>><remote address>:<remote port>`. */
export function socketKey(localPort: number, remoteAddress: string, remotePort: number): string {
  return `${localPort}>${normalize(remoteAddress)}:${remotePort}`;
}

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is the IPv4 address. */
function normalize(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

/** /proc's hex address: IPv4 as one little-endian word, IPv6 as four. */
function decodeAddress(hex: string): string {
  if (hex.length === 8) {
    const b = Buffer.from(hex, 'hex');
    return `${b[3]}.${b[2]}.${b[1]}.${b[0]}`;
  }
  const words: string[] = [];
  for (let i = 0; i < 32; i += 8) {
    const w = Buffer.from(hex.slice(i, i + 8), 'hex').reverse();
    words.push(w.toString('hex'));
  }
  const bytes = Buffer.from(words.join(''), 'hex');
  // IPv4-mapped: ::ffff:a.b.c.d
  if (bytes.subarray(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return normalize(groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::'));
}

/** Parses one /proc/net/tcp* table: key → tx_queue bytes, for sockets with a queue. */
export function parseTcpTable(text: string, into = new Map<string, number>()): Map<string, number> {
  let start = text.indexOf('\n') + 1; // skip the header
  while (start > 0 && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    // "  sl  local_address rem_address   st tx_queue:rx_queue ..."
    const fields = line.trim().split(/\s+/);
    const queues = fields[4];
    if (fields.length < 5 || queues === undefined || queues.startsWith('00000000:')) continue;
    const tx = Number.parseInt(queues.slice(0, queues.indexOf(':')), 16);
    if (!(tx > 0)) continue;
    const [localHex, localPortHex] = fields[1]!.split(':');
    const [remoteHex, remotePortHex] = fields[2]!.split(':');
    if (localHex === undefined || remoteHex === undefined) continue;
    const key = socketKey(
      Number.parseInt(localPortHex ?? '0', 16),
      decodeAddress(remoteHex),
      Number.parseInt(remotePortHex ?? '0', 16),
    );
    into.set(key, tx);
  }
  return into;
}

export interface KernelQueues {
  /** False where the table cannot be read (not Linux): the check is skipped. */
  readonly available: boolean;
  /** Socket key → bytes in its kernel send queue (absent = 0). */
  read(): Promise<Map<string, number>>;
}

/** The /proc reader. */
export function procKernelQueues(root = '/proc/net'): KernelQueues {
  let available = process.platform === 'linux';
  return {
    get available() {
      return available;
    },
    async read() {
      const out = new Map<string, number>();
      let readAny = false;
      for (const file of ['tcp', 'tcp6']) {
        try {
          parseTcpTable(await readFile(`${root}/${file}`, 'latin1'), out);
          readAny = true;
        } catch {
          // tcp6 is absent without IPv6; both absent: not Linux (or no /proc)
        }
      }
      if (!readAny) available = false;
      return out;
    },
  };
}

/**
 * The kernel's send queue per TCP socket, read from /proc/net/tcp and /proc/net/tcp6
 * (Linux). Node cannot set SO_SNDBUF on a TCP socket nor ask for SIOCOUTQ, and on
 * loopback the kernel auto-tunes a socket's send buffer up to `tcp_wmem` max (4 MiB
 * here): a client that stops reading had 2.8-3.0 MB sitting there, invisible to
 * `socket.writableLength` (issue 15). /proc/net/tcp's `tx_queue` column is exactly those
 * bytes (unsent plus sent-but-unacknowledged), so the endpoint counts them against the
 * slow-consumer bound (PROTOCOL.md § 7 Slow consumers).
 *
 * Cost: one read of the table per check (~150 bytes per socket); rows whose tx_queue is
 * zero are skipped by offset (parseTcpTable). Elsewhere than Linux the table is absent and the
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

/**
 * Parses one /proc/net/tcp* table: key → tx_queue bytes, for sockets with a queue.
 *
 * Each row is `  sl: LOCAL:PORT REMOTE:PORT ST TX:RX ...` with fixed-width hex fields
 * after the `sl:` (8 hex digits an IPv4 address, 32 an IPv6 one, 4 a port; the kernel's
 * own format string, net/ipv4/tcp_ipv4.c). So the tx_queue is found by offset and a
 * row whose queue is empty — nearly all of them — is skipped without slicing or
 * splitting: with 19,000 clients a table has 19,000+ rows and is read after each
 * broadcast, on the event loop.
 */
export function parseTcpTable(text: string, into = new Map<string, number>()): Map<string, number> {
  let start = text.indexOf('\n') + 1; // skip the header
  while (start > 0 && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const row = start;
    start = end + 1;
    const colon = text.indexOf(':', row); // after `sl`
    if (colon < 0 || colon >= end) continue;
    const local = colon + 2;
    const localPortAt = text.indexOf(':', local) + 1;
    const addressLength = localPortAt - 1 - local;
    if (addressLength !== 8 && addressLength !== 32) continue;
    const remote = localPortAt + 5; // port (4) and a space
    const tx = remote + addressLength + 5 + 4; // remote:port, space, st (2), space
    if (tx + 8 > end || text.startsWith('00000000', tx)) continue;
    const bytes = Number.parseInt(text.slice(tx, tx + 8), 16);
    if (!(bytes > 0)) continue;
    const key = socketKey(
      Number.parseInt(text.slice(localPortAt, localPortAt + 4), 16),
      decodeAddress(text.slice(remote, remote + addressLength)),
      Number.parseInt(text.slice(remote + addressLength + 1, remote + addressLength + 5), 16),
    );
    into.set(key, bytes);
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

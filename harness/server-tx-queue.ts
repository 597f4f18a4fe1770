/**
 * The kernel send queue of the server side of one loopback connection, read from
 * /proc/net/tcp by port with a parser of its own (not the endpoint's kernel-queue.ts):
 * what the slow-consumer and paced-resume tests measure from outside.
 */
import { readFileSync } from 'node:fs';

/** tx_queue of the server-side socket `serverPort` ↔ `clientPort` (IPv4 loopback). */
export function serverTxQueue(serverPort: number, clientPort: number): number {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'latin1').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    if (f[1]!.endsWith(`:${hex(serverPort)}`) && f[2]!.endsWith(`:${hex(clientPort)}`))
      return Number.parseInt(f[4]!.split(':')[0]!, 16);
  }
  return 0;
}

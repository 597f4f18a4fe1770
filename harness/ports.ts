/** Ports for tests and benchmarks that must know a port before something listens on it. */
import net from 'node:net';

/**
 * A port that was free on 127.0.0.1 a moment ago (the OS picked it), for a server a
 * test starts later there (a restarted endpoint, an IdP that comes up late). Another
 * process could take it meanwhile. (Redis wants its Cluster bus port free too:
 * sparePort in redis-servers.ts.)
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

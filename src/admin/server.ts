/**
 * The admin HTTP server: `/metrics`, `/healthz`, `/readyz`. Off the public port and
 * bound to 127.0.0.1 by default (a scraper on the host, or a sidecar); it serves GET
 * only, no request bodies, short timeouts, few sockets — it must stay cheap even if it
 * is reachable by mistake.
 */
import http from 'node:http';
import type net from 'node:net';
import { int, str } from '../options/declare.js';
import { type MetricSources, Metrics } from './metrics.js';

/** The admin server's options, declared once (src/options/declare.ts). */
export const ADMIN_OPTIONS = {
  port: int({
    flag: 'admin-port',
    env: 'FILMGRAIN_ADMIN_PORT',
    default: undefined,
    min: 0,
    max: 65_535,
    doc: 'serve /metrics, /healthz, /readyz over HTTP on this port (default: off; 0 = any free port)',
  }),
  host: str({
    flag: 'admin-host',
    env: 'FILMGRAIN_ADMIN_HOST',
    default: '127.0.0.1',
    value: 'ADDR',
    doc: 'address of the admin server (keep it off the public interface)',
  }),
} as const;

export interface AdminOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * Ready = every check passes (e.g. "listening", "engine up"). Each returns null when
   * fine, or the reason it is not.
   */
  readiness?: (() => string | null)[];
}

export interface RunningAdmin {
  readonly port: number;
  readonly metrics: Metrics;
  close(): Promise<void>;
}

export async function startAdmin(
  sources: MetricSources,
  options: AdminOptions,
): Promise<RunningAdmin> {
  const metrics = new Metrics(sources);
  const checks = options.readiness ?? [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(metrics.render());
    } else if (path === '/healthz') {
      // Alive: this answer needed a turn of the event loop.
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const reasons = checks.map((c) => c()).filter((r): r is string => r !== null);
      res.writeHead(reasons.length === 0 ? 200 : 503, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ ready: reasons.length === 0, reasons })}\n`);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  server.requestTimeout = 5000;
  server.headersTimeout = 5000;
  server.maxHeadersCount = 50;
  server.maxConnections = 64;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    metrics,
    close() {
      metrics.stop();
      server.closeAllConnections();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}

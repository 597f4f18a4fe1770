/**
 * Serves `endpoints.json` over HTTP for development (`filmgrain start`), so a client can
 * use discovery exactly as in production: `GET /endpoints.json`. With a `site` (the web
 * app's static folder, static-site.ts), every other path is a file of it, so the page
 * and the list it reads share one origin.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CACHE_CONTROL } from './publish.js';
import type { StaticSite } from './static-site.js';

export interface DirectoryHttpServer {
  /** The endpoints.json URL. */
  url: string;
  /** The site's root URL (`http://host:port/`). */
  origin: string;
  /** The origins its pages load from (what a browser sends as `Origin`). */
  origins: string[];
  close(): Promise<void>;
}

export function serveEndpointsFile(
  host: string,
  port: number,
  body: () => string | null,
  site?: StaticSite,
): Promise<DirectoryHttpServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/endpoints.json') {
      if (site !== undefined) site(req, res, path);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const text = body();
    if (text === null) {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('not ready\n');
    } else {
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': CACHE_CONTROL })
        .end(req.method === 'HEAD' ? undefined : text);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      const origin = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`;
      resolve({
        url: `${origin}endpoints.json`,
        origin,
        // Without the trailing slash; on loopback a page may be opened as localhost too.
        origins:
          host === '127.0.0.1' || host === '::1'
            ? [origin.slice(0, -1), `http://localhost:${bound}`]
            : [origin.slice(0, -1)],
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // A browser keeps its connection to the page open; shutting down cuts it.
            server.closeAllConnections();
          }),
      });
    });
  });
}

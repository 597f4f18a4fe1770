/**
 * Serves `endpoints.json` over HTTP for development (`filmgrain start`), so a client can
 * use discovery exactly as in production: `GET /endpoints.json`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CACHE_CONTROL } from './publish.js';

export interface DirectoryHttpServer {
  url: string;
  close(): Promise<void>;
}

export function serveEndpointsFile(
  host: string,
  port: number,
  body: () => string | null,
): Promise<DirectoryHttpServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const text = body();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path !== '/endpoints.json') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    } else if (text === null) {
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
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/endpoints.json`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

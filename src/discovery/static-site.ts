/**
 * A static folder over HTTP: the web app (dist/web, built by scripts/build-web.mjs)
 * next to endpoints.json on `filmgrain start`'s directory port. Small on purpose: GET
 * and HEAD of files under one root, the content types the build writes, `/` →
 * index.html, nothing outside the root (`..`, encoded or not, NUL, symlinks out).
 *
 * Caching follows the build: names with a content hash (`app-F44GCRHS.js`,
 * `assets/…`) never change, so a browser keeps them a year; index.html and config.json
 * are revalidated every time, so a new build is seen at the next load.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** A build's hashed names: `name-HASH.ext` with esbuild's 8-character base32 hash. */
const HASHED = /-[A-Z0-9]{8}\.[a-z0-9]+(\.map)?$/;

/**
 * The page may run its own script and style and open WebSockets to any endpoint (the
 * list decides where); it may load nothing else from anywhere (issue 13: "loads nothing
 * from the internet"). `connect-src` also allows http(s) for a `?directory=` elsewhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss: http: https:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type StaticSite = (req: IncomingMessage, res: ServerResponse, path: string) => void;

export function staticSite(root: string): StaticSite {
  let realRoot: Promise<string | null> | null = null;
  const rootOnce = () => {
    realRoot ??= realpath(root).catch(() => null);
    return realRoot;
  };
  return (req, res, path) => {
    void serve(req, res, path).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  };

  async function serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const base = await rootOnce();
    if (base === null) {
      // Running from a checkout that has not built the app (`npm run build` does).
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('the web app is not built here: run `npm run build` (it writes dist/web/)\n');
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(path);
    } catch {
      return notFound(res);
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const parts = rel.split('/').filter((p) => p !== '');
    if (parts.some((p) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0')))
      return notFound(res);
    const type = TYPES[extname(rel).toLowerCase()];
    if (type === undefined) return notFound(res);
    let file: string;
    try {
      file = await realpath(join(base, ...parts));
    } catch {
      return notFound(res);
    }
    if (!file.startsWith(base + sep)) return notFound(res);
    const info = await stat(file);
    if (!info.isFile()) return notFound(res);
    const headers: Record<string, string | number> = {
      'content-type': type,
      'content-length': info.size,
      'x-content-type-options': 'nosniff',
      'cache-control': HASHED.test(rel) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'last-modified': info.mtime.toUTCString(),
    };
    if (type.startsWith('text/html')) {
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      headers['referrer-policy'] = 'no-referrer';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
}

/**
 * The directory port's static site (src/discovery/static-site.ts): the web app's files
 * with their content types and cache rules, `/` → index.html, endpoints.json beside
 * them, and nothing outside the folder, however the path is spelled.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DirectoryHttpServer, serveEndpointsFile } from '../../src/discovery/http-server.js';
import { staticSite } from '../../src/discovery/static-site.js';

/** A raw GET (fetch would normalize `..` away before sending). */
function get(url: string, path: string, method = 'GET') {
  const u = new URL(url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('the web app on the directory port', () => {
  let server: DirectoryHttpServer;
  before(async () => {
    const parent = mkdtempSync(join(tmpdir(), 'filmgrain-site-'));
    const root = join(parent, 'web');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(root, 'app-ABCDEFGH.js'), 'export {};');
    writeFileSync(join(root, 'style-ABCDEFGH.css'), 'body{}');
    writeFileSync(join(root, 'assets', 'inter-12345678.woff2'), 'wOF2');
    writeFileSync(join(root, 'config.json'), '{"directory":"endpoints.json"}');
    writeFileSync(join(parent, 'secret.txt'), 'secret');
    symlinkSync(join(parent, 'secret.txt'), join(root, 'link.txt'));
    server = await serveEndpointsFile('127.0.0.1', 0, () => '{"version":1}\n', staticSite(root));
  });
  after(() => server.close());

  it('serves each file with its type; hashed names are cached for good, the rest revalidated', async () => {
    const cases: [string, string, RegExp][] = [
      ['/', 'text/html; charset=utf-8', /no-cache/],
      ['/index.html', 'text/html; charset=utf-8', /no-cache/],
      ['/app-ABCDEFGH.js', 'text/javascript; charset=utf-8', /immutable/],
      ['/style-ABCDEFGH.css', 'text/css; charset=utf-8', /immutable/],
      ['/assets/inter-12345678.woff2', 'font/woff2', /immutable/],
      ['/config.json', 'application/json', /no-cache/],
    ];
    for (const [path, type, cache] of cases) {
      const r = await get(server.origin, path);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers['content-type'], type, path);
      assert.match(String(r.headers['cache-control']), cache, path);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    }
    const html = await get(server.origin, '/');
    assert.match(String(html.headers['content-security-policy']), /default-src 'self'/);
    const head = await get(server.origin, '/app-ABCDEFGH.js', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });

  it('endpoints.json is still the directory', async () => {
    const r = await get(server.origin, '/endpoints.json');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"version":1}\n');
    assert.equal(server.url, `${server.origin}endpoints.json`);
  });

  it('nothing outside the folder: .., encoded .., a symlink out, NUL, unknown types', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2E%2E/%2E%2E/secret.txt',
      '/link.txt',
      '/index.html%00.js',
      '/%E0%A4%A',
      '/missing.js',
      '/assets',
      '/package.json.bak',
    ]) {
      const r = await get(server.origin, path);
      assert.equal(r.status, 404, path);
      assert.doesNotMatch(r.body, /secret/, path);
    }
    assert.equal((await get(server.origin, '/', 'POST')).status, 405);
  });
});

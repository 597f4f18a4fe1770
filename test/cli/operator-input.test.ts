/**
 * Issue 15, "operator input that hangs or misleads": every bad operator input exits
 * non-zero or logs within seconds with a message naming the problem. Real processes,
 * the real Redis at 127.0.0.1:6379 and unreachable ports.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { killAll, startCli } from '../../harness/process.js';
import {
  DEFAULT_CATALOG_PATH,
  loadCatalog,
  MAX_CATALOG_BYTES,
  watchCatalog,
} from '../../src/matching/catalog.js';

after(killAll);

const dir = mkdtempSync(join(tmpdir(), 'fg-operator-'));

/** A port with nothing listening (bound, then released). */
async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Is `port` free on 127.0.0.1 right now? */
async function isFree(port: number): Promise<boolean> {
  const s = net.createServer();
  const ok = await new Promise<boolean>((r) => {
    s.once('error', () => r(false));
    s.listen(port, '127.0.0.1', () => r(true));
  });
  if (ok) await new Promise<void>((r) => s.close(() => r()));
  return ok;
}

/** A free port whose successor is free too (other suites open ports beside this one). */
async function deadPortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = await deadPort();
    if (base < 65535 && (await isFree(base + 1))) return base;
  }
  throw new Error('no two adjacent free ports');
}

async function waitForText(get: () => string, re: RegExp, ms: number): Promise<number> {
  const started = Date.now();
  while (!re.test(get())) {
    if (Date.now() - started > ms) throw new Error(`no ${re} within ${ms} ms:\n${get()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

describe('an unusable Redis', () => {
  for (const cmd of ['feeder', 'endpoint'] as const)
    test(`filmgrain ${cmd} on an unreachable Redis says it is waiting, with a back-off`, async () => {
      const port = await deadPort();
      const p = startCli([
        cmd,
        '--redis',
        `redis://:hunter2@127.0.0.1:${port}`,
        ...(cmd === 'endpoint' ? ['--port', '0'] : []),
      ]);
      await waitForText(() => p.stderr, /"msg":"waiting for redis".*"attempt":1/, 10_000);
      await waitForText(() => p.stderr, /"msg":"waiting for redis".*"attempt":2/, 10_000);
      assert.match(p.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.match(p.stderr, /ECONNREFUSED/);
      assert.match(p.stderr, /"retryInMs":\d+/);
      assert.doesNotMatch(p.stderr, /hunter2/, 'the password is never logged');
      assert.equal(p.child.exitCode, null, 'still waiting (a server waits for its store)');
      await p.kill();
    });

  test('--redis-connect-timeout gives up with exit 1 naming Redis', async () => {
    const port = await deadPort();
    const p = startCli([
      'feeder',
      '--redis',
      `redis://127.0.0.1:${port}`,
      '--redis-connect-timeout',
      '1500',
    ]);
    assert.equal(await p.exited, 1);
    assert.match(p.stderr, /redis at redis:\/\/127\.0\.0\.1:\d+ not reachable within 1\.5 s/);
  });

  test('drain --list on an unreachable Redis exits 1 within its --timeout', async () => {
    const port = await deadPort();
    const started = Date.now();
    const p = startCli([
      'drain',
      '--list',
      '--redis',
      `redis://127.0.0.1:${port}`,
      '--timeout',
      '2000',
    ]);
    assert.equal(await p.exited, 1);
    assert.ok(Date.now() - started < 15_000);
    assert.match(p.stderr, /not reachable within 2 s/);
  });

  test('a wrong password fails at once, naming the reason (no endless retry)', async () => {
    const started = Date.now();
    const p = startCli([
      'drain',
      '--list',
      '--redis',
      'redis://no-such-user-fg:wrong@127.0.0.1:6379',
    ]);
    assert.equal(await p.exited, 1);
    assert.ok(Date.now() - started < 15_000);
    assert.match(p.stderr, /refused the credentials \(WRONGPASS/);
    assert.doesNotMatch(p.stderr, /wrong@/);
  });
});

describe('listeners and files', () => {
  test('EADDRINUSE names the endpoint listener, its port and flag', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    try {
      const p = startCli(['start', '--plain', '--port', String(port), '--no-directory']);
      assert.equal(await p.exited, 1);
      assert.match(
        p.stderr,
        new RegExp(`endpoint cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use.*--port`),
      );
    } finally {
      s.close();
    }
  });

  test('EADDRINUSE on the admin port names the admin listener', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    try {
      const p = startCli(['start', '--plain', '--port', '0', '--admin-port', String(port)]);
      assert.equal(await p.exited, 1);
      assert.match(
        p.stderr,
        new RegExp(`admin cannot listen on 127\\.0\\.0\\.1:${port}.*--admin-port`),
      );
    } finally {
      s.close();
    }
  });

  test('the implicit directory port (--port + 1) never lands on --admin-port: it moves and says so', async () => {
    const base = await deadPortPair();
    const p = startCli([
      'start',
      '--plain',
      '--port',
      String(base),
      '--admin-port',
      String(base + 1),
    ]);
    const m = await p.waitFor(/directory http:\/\/127\.0\.0\.1:(\d+)/, 60_000);
    assert.notEqual(Number(m[1]), base + 1);
    assert.match(p.stderr, /is the --admin-port; the directory takes a free port instead/);
    await p.kill();
  });

  test('--directory-port equal to --admin-port is refused', async () => {
    const p = startCli([
      'start',
      '--plain',
      '--port',
      '0',
      '--admin-port',
      '45999',
      '--directory-port',
      '45999',
    ]);
    assert.equal(await p.exited, 2);
    assert.match(p.stderr, /--directory-port 45999 and --admin-port 45999 are the same port/);
  });

  test('a bad certificate or key names the file', async () => {
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate\n');
    const p = startCli(['start', '--port', '0', '--cert', garbage, '--key', garbage]);
    assert.equal(await p.exited, 1);
    assert.match(
      p.stderr,
      new RegExp(`--cert ${garbage.replace(/[.]/g, '\\.')}: not a PEM certificate`),
    );
    const missing = startCli([
      'start',
      '--port',
      '0',
      '--cert',
      join(dir, 'nope.pem'),
      '--key',
      garbage,
    ]);
    assert.equal(await missing.exited, 1);
    assert.match(missing.stderr, /--cert .*nope\.pem: cannot read \(ENOENT\)/);
  });

  test('--replay DIRECTORY fails at once and clearly', async () => {
    const p = startCli(['start', '--plain', '--port', '0', '--source', 'replay', '--replay', dir]);
    assert.equal(await p.exited, 1);
    assert.match(p.stderr, /--replay .*: not a file \(a directory\?\)/);
  });

  test('malformed replay lines are logged (rate-limited) with their line number, and counted', async () => {
    const file = join(dir, 'bad.ndjson');
    await writeFile(file, `${['{"nope":1}', 'not json', '{"also":"bad"}'].join('\n')}\n`);
    const p = startCli([
      'start',
      '--plain',
      '--port',
      '0',
      '--no-directory',
      '--admin-port',
      '0',
      '--source',
      'replay',
      '--replay',
      file,
      '--speed',
      'max',
    ]);
    const m = await p.waitFor(/admin\s+http:\/\/127\.0\.0\.1:(\d+)\/metrics/, 60_000);
    await waitForText(
      () => p.stderr,
      /"msg":"replay line skipped".*"line":1.*"reason":"not a post"/,
      60_000,
    );
    let page = '';
    const deadline = Date.now() + 10_000;
    while (!/filmgrain_source_malformed_total 3\b/.test(page)) {
      assert.ok(Date.now() < deadline, `malformed count on /metrics:\n${page}`);
      page = await (await fetch(`http://127.0.0.1:${m[1]}/metrics`)).text();
      await new Promise((r) => setTimeout(r, 100));
    }
    // Three bad lines, one log line: the other two wait for the next 10 s report.
    assert.equal(p.stderr.match(/replay line skipped/g)?.length, 1);
    await p.kill();
  });
});

describe('catalog', () => {
  test('a catalog past the size cap is refused with its size and the cap', async () => {
    const big = join(dir, 'big.json');
    await writeFile(big, Buffer.alloc(MAX_CATALOG_BYTES + 1, 0x20));
    await assert.rejects(loadCatalog(big), /big\.json is 8\.0 MiB; at most 8 MiB is read/);
  });

  test('the reload fires while another file in the same folder changes every 50 ms', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'fg-catalog-'));
    const path = join(folder, 'catalog.json');
    const original = JSON.parse(await readFile(DEFAULT_CATALOG_PATH, 'utf8')) as {
      movies: unknown[];
    };
    await writeFile(path, JSON.stringify(original));
    const sibling = join(folder, 'busy.log');
    let n = 0;
    const busy = setInterval(() => writeFileSync(sibling, String(n++)), 50);
    const reloaded = new Promise<number>((resolve) => {
      const stop = watchCatalog(
        path,
        (c) => {
          stop();
          resolve(c.movies.length);
        },
        { debounceMs: 200, pollMs: 60_000, log: () => {} },
      );
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      await writeFile(path, JSON.stringify({ movies: original.movies.slice(0, 3) }));
      const movies = await Promise.race([
        reloaded,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('no reload in 5 s')), 5000),
        ),
      ]);
      assert.equal(movies, 3);
    } finally {
      clearInterval(busy);
    }
  });
});

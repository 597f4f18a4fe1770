/**
 * Auth through the real `filmgrain` processes: `filmgrain token --private-key` mints
 * what the endpoint accepts (and `--jwks` prints the key set to serve for it);
 * `filmgrain start --auth-jwks-url` waits for a JWKS that is down, saying so, and
 * serves once it is up; configurations that cannot work exit at startup, named.
 */
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { LineClient } from '../../harness/line-client.js';
import { freePort } from '../../harness/ports.js';
import { killAll, startCli } from '../../harness/process.js';
import { parseJwks } from '../../src/auth/jwks.js';
import { verifyToken } from '../../src/auth/jwt.js';
import { publicKeysFromPem } from '../../src/auth/keys.js';
import { runCli } from '../matching/cli.js';
import { makeKey, startFakeIdp } from '../support/fake-idp.js';

after(killAll);

const dir = mkdtempSync(join(tmpdir(), 'fg-auth-cli-'));
const ec = makeKey('ES256', 'dev-1');
const privateFile = join(dir, 'ec.pem');
writeFileSync(privateFile, ec.key.export({ type: 'pkcs8', format: 'pem' }));
const publicPem = createPublicKey(ec.key).export({ type: 'spki', format: 'pem' }) as string;
const publicFile = join(dir, 'ec.pub.pem');
writeFileSync(publicFile, publicPem);

describe('filmgrain token with a private key', () => {
  test('mints an ES256 token with kid, iss and aud; --jwks prints its key set', async () => {
    const r = await runCli([
      'token',
      ...['--private-key', privateFile, '--kid', 'dev-1', '--sub', 'u', '--aud', 'app'],
    ]);
    assert.equal(r.code, 0, r.stderr);
    const header = JSON.parse(Buffer.from(r.stdout.split('.')[0]!, 'base64url').toString());
    assert.deepEqual(header, { alg: 'ES256', typ: 'JWT', kid: 'dev-1' });
    const v = verifyToken(r.stdout.trim(), publicKeysFromPem(publicPem), { audience: 'app' });
    assert.equal(v.ok && v.claims.sub, 'u');
    const jwks = await runCli(['token', '--private-key', privateFile, '--kid', 'dev-1', '--jwks']);
    assert.equal(jwks.code, 0, jwks.stderr);
    const doc = parseJwks(jwks.stdout);
    assert.equal(doc.keys[0]?.kid, 'dev-1');
    assert.equal(verifyToken(r.stdout.trim(), doc.keys).ok, true);
  });

  test('refuses a missing key file, a public key, both --secret and --private-key', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--private-key', join(dir, 'nope.pem')],
        /--private-key .*nope\.pem: cannot read it \(ENOENT\)/,
      ],
      [['--private-key', publicFile], /is not a readable private key/],
      [
        ['--private-key', privateFile, '--secret', 'x'.repeat(32)],
        /--secret or --private-key, not both/,
      ],
      [['--kid', 'k', '--secret', 'x'.repeat(32)], /--kid goes with --private-key/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(['token', ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, re);
    }
  });
});

describe('filmgrain start with auth', () => {
  test('JWKS down at startup: logged, not listening; up: serves, a token of its key connects', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/.well-known/jwks.json`;
    const p = startCli([
      'start',
      ...['--port', '0', '--no-directory', '--no-websocket', '--data-dir', dir],
      ...['--auth-jwks-url', url, '--auth-audience', 'app', '--log-level', 'info'],
    ]);
    const deadline = Date.now() + 20_000;
    while (!/JWKS fetch failed/.test(p.stderr)) {
      assert.ok(Date.now() < deadline && p.child.exitCode === null, p.stderr);
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.match(p.stderr, /"level":"info".*waiting for the JWKS before listening/);
    const failed = p.stderr.split('\n').find((l) => l.includes('JWKS fetch failed'))!;
    assert.match(failed, /"level":"error".*ECONNREFUSED.*"retryInMs":\d+/);
    assert.doesNotMatch(p.stdout, /Filmgrain is running/);
    const idp = await startFakeIdp({ port, keys: [ec] });
    try {
      const m = await p.waitFor(
        /endpoint {2}tls:\/\/127\.0\.0\.1:(\d+)\s+\(development certificate (\S+)\)/,
      );
      const token = await runCli([
        'token',
        '--private-key',
        privateFile,
        '--kid',
        'dev-1',
        '--aud',
        'app',
      ]);
      const c = await LineClient.connect({ port: Number(m[1]), ca: readFileSync(m[2]!) });
      c.send('connect', { token: token.stdout.trim() });
      await c.nextOf('set_movies', 5000);
      const wrongAud = await runCli(['token', '--private-key', privateFile, '--kid', 'dev-1']);
      const d = await LineClient.connect({ port: Number(m[1]), ca: readFileSync(m[2]!) });
      d.send('connect', { token: wrongAud.stdout.trim() });
      assert.equal((await d.nextOf('error', 5000)).params.message, 'token refused: audience');
      c.close();
      d.close();
    } finally {
      await p.kill('SIGINT');
      await idp.close();
    }
  });

  const refused: [string[], RegExp][] = [
    [
      ['--auth-public-key', join(dir, 'missing.pem')],
      /--auth-public-key .*missing\.pem: cannot read it \(ENOENT\)/,
    ],
    [['--auth-public-key', privateFile], /--auth-public-key .* holds a private key/],
    [['--auth-jwks-url', 'http://idp.example/jwks'], /--auth-jwks-url must be https:\/\//],
    [
      ['--auth-jwks-url', 'ftp://idp.example/jwks'],
      /--auth-jwks-url must be an https:\/\/ URL, not ftp:/,
    ],
    [['--auth-audience', 'app'], /--auth-issuer\/--auth-audience need a key/],
  ];
  for (const [args, re] of refused)
    test(`refused at startup: ${args.join(' ')}`, async () => {
      const p = startCli(['start', '--port', '0', '--no-directory', '--data-dir', dir, ...args]);
      assert.equal(await p.exited, 2, p.stderr);
      assert.match(p.stderr, re);
    });

  test('--help lists the auth options', async () => {
    for (const cmd of ['start', 'endpoint']) {
      const r = await runCli([cmd, '--help']);
      for (const flag of [
        'auth-public-key FILE',
        'auth-jwks-url URL',
        'auth-issuer',
        'auth-audience',
        'auth-jwks-refresh S',
      ])
        assert.match(r.stdout, new RegExp(`--${flag}`), `${cmd} --help: ${flag}`);
    }
  });
});

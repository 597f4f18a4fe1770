/**
 * Each option is declared once (src/options/declare.ts): the library default, the
 * flag, the env var, the bounds and the help all come from one entry. These tests
 * check the derivation (defaults equal, help shows them, only given values parsed)
 * and, with real processes, that every refused value exits non-zero within seconds
 * with a message naming the flag.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { killAll, startCli } from '../../harness/process.js';
import { ADMIN_OPTIONS } from '../../src/admin/server.js';
import { AUTH_OPTIONS } from '../../src/auth/options.js';
import { helpText, parseCommand, UsageError } from '../../src/cli/flags.js';
import { BALANCER_OPTIONS, DEFAULT_BALANCER_OPTIONS } from '../../src/endpoint/balancer.js';
import {
  DEFAULT_ENDPOINT_OPTIONS,
  ENDPOINT_LIMITS,
  LISTEN_OPTIONS,
} from '../../src/endpoint/options.js';
import { FEEDER_OPTIONS } from '../../src/feeder/options.js';
import { SOURCE_OPTIONS } from '../../src/feeder/sources/options.js';
import { defaultsOf, type OptionTable } from '../../src/options/declare.js';
import { REGISTRATION_OPTIONS } from '../../src/registry/registry.js';
import { STORE_OPTIONS } from '../../src/store/options.js';

after(killAll);

const TABLES: Record<string, OptionTable> = {
  listen: LISTEN_OPTIONS,
  limits: ENDPOINT_LIMITS,
  auth: AUTH_OPTIONS,
  balancer: BALANCER_OPTIONS,
  registration: REGISTRATION_OPTIONS,
  engine: STORE_OPTIONS,
  feeder: FEEDER_OPTIONS,
  source: SOURCE_OPTIONS,
  admin: ADMIN_OPTIONS,
};

describe('declarations', () => {
  test('the library defaults are the declared defaults', () => {
    for (const [key, value] of Object.entries(defaultsOf(ENDPOINT_LIMITS)))
      assert.equal(
        DEFAULT_ENDPOINT_OPTIONS[key as keyof typeof DEFAULT_ENDPOINT_OPTIONS],
        value,
        key,
      );
    for (const [key, value] of Object.entries(defaultsOf(BALANCER_OPTIONS)))
      assert.equal(
        DEFAULT_BALANCER_OPTIONS[key as keyof typeof DEFAULT_BALANCER_OPTIONS],
        value,
        key,
      );
  });

  test('--help shows every declared default, range and env var', () => {
    const help = helpText('usage', TABLES);
    for (const table of Object.values(TABLES))
      for (const o of Object.values(table)) {
        const line = help.split('\n').find((l) => l.trimStart().split(/\s/)[0] === `--${o.flag}`);
        assert.ok(line, `--${o.flag} in help`);
        if (o.helpDefault !== undefined) assert.match(line, new RegExp(`default ${o.helpDefault}`));
        else if (o.default !== undefined && o.default !== false)
          assert.ok(line.includes(`default ${String(o.default)}`), `${line} shows its default`);
        if (o.env) assert.ok(line.includes(`env ${o.env}`), `${line} names ${o.env}`);
        if (o.range) assert.ok(line.includes(o.range), `${line} shows ${o.range}`);
      }
  });

  test('only what the operator set is parsed; the flag wins over the env var', () => {
    const r = parseCommand(
      ['--max-feeds', '3', '--plain'],
      { listen: LISTEN_OPTIONS, limits: ENDPOINT_LIMITS },
      'usage',
      { env: { FILMGRAIN_MAX_FEEDS: '7', FILMGRAIN_IDLE_TIMEOUT_MS: '5000' } },
    );
    assert.ok(r);
    assert.deepEqual(r.limits, { maxFeeds: 3, idleTimeoutMs: 5000 });
    assert.deepEqual(r.listen, { plain: true });
  });

  test('a flag declared by two tables is refused', () => {
    assert.throws(
      () => parseCommand([], { a: LISTEN_OPTIONS, b: { port: LISTEN_OPTIONS.port } }, 'usage'),
      /--port is declared by both a and b/,
    );
  });

  const refused: [string[], RegExp][] = [
    [['--max-line-bytes', '0'], /--max-line-bytes must be ≥ 256, not 0/],
    [['--port', '-1'], /--port must be ≥ 0, not -1/],
    [['--port', '65536'], /--port must be ≤ 65,535, not 65536/],
    [['--port', '1e3'], /--port must be an integer, not "1e3"/],
    [['--rate', '-5'], /--rate must be > 0, not -5/],
    [['--rate', '1e12'], /--rate must be ≤ 10,000, not 1e12/],
    [['--rate', 'fast'], /--rate must be a number, not "fast"/],
    [['--source', 'rss'], /--source must be one of synthetic, jetstream, x, replay/],
    [['--auth-secret', 'short'], /--auth-secret must be at least 32 bytes/],
    [['--auth-jwks-url', 'http://idp.example/jwks'], /--auth-jwks-url must be https:\/\//],
    [['--auth-jwks-refresh', '5'], /--auth-jwks-refresh must be ≥ 30, not 5/],
    [['--heartbeat', '10'], /--heartbeat must be ≥ 100, not 10/],
    [['--redis', 'redis://a b'], /--redis has a malformed URL/],
  ];
  for (const [argv, message] of refused)
    test(`refused: ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseCommand(argv, { ...TABLES }, 'usage', { env: {} }),
        (err: unknown) => err instanceof UsageError && message.test(err.message),
      );
    });

  test('a refused env value names the env var and the flag', () => {
    assert.throws(
      () => parseCommand([], TABLES, 'usage', { env: { FILMGRAIN_MAX_LINE_BYTES: '0' } }),
      /FILMGRAIN_MAX_LINE_BYTES \(--max-line-bytes\) must be ≥ 256, not 0/,
    );
  });
});

describe('refused values in real processes', () => {
  const cases: [string, string[], RegExp][] = [
    ['start', ['--max-line-bytes', '0'], /--max-line-bytes must be ≥ 256/],
    ['start', ['--rate', '1e12'], /--rate must be ≤ 10,000/],
    ['start', ['--port', '-1'], /--port must be ≥ 0, not -1/],
    ['start', ['--rate', '-5'], /--rate must be > 0, not -5/],
    ['feeder', ['--redis', 'redis://127.0.0.1:6379', '--rate', '0'], /--rate must be > 0/],
    [
      'endpoint',
      ['--redis', 'redis://127.0.0.1:6379', '--capacity', '-3'],
      /--capacity must be ≥ 0/,
    ],
    [
      'directory',
      ['--redis', 'redis://127.0.0.1:6379', '--poll-ms', 'soon'],
      /--poll-ms must be an integer/,
    ],
    ['watch', ['--port', '0'], /--port must be ≥ 1/],
    ['token', ['--secret', 'x'], /--secret must be at least 32 bytes/],
  ];
  for (const [cmd, args, message] of cases)
    test(`filmgrain ${cmd} ${args.join(' ')} exits 2 naming the flag`, async () => {
      const started = Date.now();
      const p = startCli([cmd, ...args], { FILMGRAIN_LOG_LEVEL: '' });
      const code = await p.exited;
      assert.equal(code, 2, p.stderr);
      assert.match(p.stderr, message);
      assert.ok(Date.now() - started < 15_000, 'within seconds');
    });
});

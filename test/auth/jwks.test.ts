/**
 * Keys from a JWKS URL (src/auth/remote-keys.ts, verifier.ts) against a local IdP that
 * serves its key set as IdPs do (test/support/fake-idp.ts). Time is a FakeClock: the
 * refresh period, max-age, the refetch cooldown and retries are checked by advancing
 * it, never by sleeping; the HTTP requests are real.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { until } from '../../harness/until.js';
import { fetchJwks, maxAgeOf } from '../../src/auth/jwks.js';
import { mintToken } from '../../src/auth/jwt.js';
import { RemoteKeySet } from '../../src/auth/remote-keys.js';
import { type CheckResult, TokenVerifier } from '../../src/auth/verifier.js';
import { realClock } from '../../src/clock/clock.js';
import { testCertificate } from '../support/certs.js';
import { FakeClock } from '../support/fake-clock.js';
import { claims, type FakeIdp, makeKey, startFakeIdp } from '../support/fake-idp.js';

/** An RS256 token with a kid no IdP publishes. */
const stranger = makeKey('RS256');
const makeKeyToken = (kid: string) => mintToken({ ...stranger, kid }, claims());

interface Logged {
  level: string;
  msg: string;
  fields: Record<string, unknown> | undefined;
}

function recorder() {
  const lines: Logged[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, msg, fields });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

function keySet(idp: { url: string }, clock: FakeClock, log = recorder().log) {
  return new RemoteKeySet({
    url: idp.url,
    refreshMs: 600_000,
    cooldownMs: 30_000,
    timeoutMs: 5000,
    clock,
    log,
    random: () => 0.5,
  });
}

/** Lets the real HTTP round trip finish (the fake clock does not move meanwhile). */
async function settled<T>(value: T | Promise<T>): Promise<T> {
  return await value;
}

async function withIdp(fn: (idp: FakeIdp) => Promise<void>, keys = [makeKey('RS256', 'k1')]) {
  const idp = await startFakeIdp({ keys });
  try {
    await fn(idp);
  } finally {
    await idp.close();
  }
}

describe('JWKS key set', () => {
  test('an unknown kid refetches at once and verifies once the IdP has rotated', () =>
    withIdp(async (idp) => {
      const clock = new FakeClock(1_000_000);
      const remote = keySet(idp, clock);
      const v = new TokenVerifier({ remote, clock: realClock });
      remote.start();
      await remote.ready();
      const first = v.check(idp.token({ sub: 'a' }));
      assert.ok(!(first instanceof Promise), 'a known kid is checked synchronously');
      assert.equal(first.ok && first.claims.sub, 'a');
      // The IdP rotates: a new key, published and used at once (no overlap).
      idp.publish(makeKey('ES256', 'k2'));
      const t = idp.token({ sub: 'b' });
      clock.advance(31_000);
      const pending = v.check(t);
      assert.ok(pending instanceof Promise, 'the unknown kid waits for a refetch');
      const r = await pending;
      assert.equal(r.ok && r.claims.sub, 'b');
      assert.equal(remote.fetches, 2);
      // Known now: synchronous again, no fetch.
      assert.equal((v.check(idp.token()) as CheckResult).ok, true);
      assert.equal(remote.fetches, 2);
      remote.close();
    }));

  test('refetches are rate limited: one per cooldown, however many unknown kids', () =>
    withIdp(async (idp) => {
      const clock = new FakeClock(1_000_000);
      const remote = keySet(idp, clock);
      const v = new TokenVerifier({ remote, clock: realClock });
      remote.start();
      await remote.ready();
      const forged = () => makeKeyToken(`made-up-${Math.random()}`);
      // Within 30 s of the first fetch: refused at once, no request.
      clock.advance(29_000);
      assert.deepEqual(v.check(forged()), { ok: false, reason: 'unknown_key' });
      assert.equal(idp.requests, 1);
      clock.advance(1_000);
      // Past the cooldown: the first unknown kid fetches; those meanwhile join that fetch.
      const a = v.check(forged());
      const b = v.check(forged());
      assert.ok(a instanceof Promise && b instanceof Promise);
      assert.deepEqual(await Promise.all([a, b]), [
        { ok: false, reason: 'unknown_key' },
        { ok: false, reason: 'unknown_key' },
      ]);
      assert.equal(idp.requests, 2);
      // And right after it: no fetch, refused synchronously.
      for (let i = 0; i < 50; i++)
        assert.deepEqual(v.check(forged()), { ok: false, reason: 'unknown_key' });
      assert.equal(idp.requests, 2);
      remote.close();
    }));

  test('down at startup: logged with the retry time, retried, ready once up', async () => {
    const idp = await startFakeIdp({ keys: [makeKey('RS256', 'k1')] });
    try {
      idp.down();
      const clock = new FakeClock(0);
      const rec = recorder();
      const remote = keySet(idp, clock, rec.log);
      let ready = false;
      void remote.ready().then(() => {
        ready = true;
      });
      remote.start();
      await until(() => rec.lines.length === 1, 3000, 'the failure log');
      assert.equal(rec.lines[0]!.level, 'error');
      assert.match(rec.lines[0]!.msg, /JWKS fetch failed; no key set yet/);
      assert.match(String(rec.lines[0]!.fields?.err), /HTTP 503/);
      // The first retry: 0.5 s + half (random 0.5) of a 1 s window.
      assert.equal(rec.lines[0]!.fields?.retryInMs, 1000);
      clock.advance(1000);
      await until(() => rec.lines.length === 2, 3000, 'the second failure');
      assert.equal(rec.lines[1]!.fields?.retryInMs, 1500, 'the window doubles');
      assert.equal(ready, false);
      idp.up();
      clock.advance(1500);
      await until(() => ready, 3000, 'ready');
      assert.deepEqual(
        rec.lines.slice(2).map((l) => l.msg),
        ['JWKS reachable again', 'JWKS loaded'],
      );
      assert.deepEqual(rec.lines[3]!.fields?.kids, ['k1']);
      remote.close();
    } finally {
      await idp.close();
    }
  });

  test('refreshed every period, sooner under a shorter max-age; a failed refresh keeps the keys', () =>
    withIdp(async (idp) => {
      idp.maxAge = 120;
      const clock = new FakeClock(0);
      const rec = recorder();
      const remote = keySet(idp, clock, rec.log);
      remote.start();
      await remote.ready();
      assert.equal(clock.delays.at(-1), 120_000, 'max-age 120 s < the 600 s period');
      idp.maxAge = 0;
      idp.publish(makeKey('RS256', 'k2'));
      clock.advance(120_000);
      await until(() => remote.keys.length === 2, 3000, 'the refresh');
      assert.equal(clock.delays.at(-1), 30_000, 'max-age 0: never sooner than the cooldown');
      idp.maxAge = null;
      idp.down();
      clock.advance(30_000);
      await until(() => !remote.healthy, 3000, 'the failed refresh');
      assert.equal(remote.keys.length, 2, 'the last good keys stay');
      assert.equal(rec.lines.at(-1)!.level, 'warn');
      assert.match(rec.lines.at(-1)!.msg, /keeping the last key set/);
      idp.up();
      clock.advance(Number(rec.lines.at(-1)!.fields?.retryInMs));
      await until(() => remote.healthy, 3000, 'recovered');
      assert.equal(clock.delays.at(-1), 600_000, 'no max-age: the period');
      remote.close();
    }));

  test('an unknown kid while the IdP is down is keys_unavailable, not a refusal', () =>
    withIdp(async (idp) => {
      const clock = new FakeClock(0);
      const remote = keySet(idp, clock);
      const v = new TokenVerifier({ remote, clock: realClock });
      remote.start();
      await remote.ready();
      idp.down();
      clock.advance(30_000);
      assert.deepEqual(await settled(v.check(makeKeyToken('new'))), {
        ok: false,
        reason: 'keys_unavailable',
      });
      // Known kids still verify with the last good keys.
      assert.equal((v.check(idp.token()) as CheckResult).ok, true);
      remote.close();
    }));

  test('fetch errors name the problem; https with a given CA works', async () => {
    const clock = new FakeClock(0);
    const idp = await startFakeIdp({ tls: await testCertificate() });
    try {
      const doc = await fetchJwks(idp.url, {
        timeoutMs: 5000,
        clock,
        ca: (await testCertificate()).cert,
      });
      assert.equal(doc.keys.length, 1);
      assert.equal(doc.maxAgeSeconds, 3600);
      await assert.rejects(
        fetchJwks(idp.url, { timeoutMs: 5000, clock }),
        /self.signed|certificate/i,
      );
      await assert.rejects(
        fetchJwks(idp.url.replace('/.well-known/jwks.json', '/other'), {
          timeoutMs: 5000,
          clock,
          ca: (await testCertificate()).cert,
        }),
        /HTTP 404/,
      );
      idp.hang();
      const before = idp.requests;
      const hung = fetchJwks(idp.url, {
        timeoutMs: 5000,
        clock,
        ca: (await testCertificate()).cert,
      });
      await until(() => idp.requests === before + 1, 3000, 'the hanging request');
      clock.advance(5000);
      await assert.rejects(hung, /no complete answer within 5000 ms/);
    } finally {
      await idp.close();
    }
    assert.equal(maxAgeOf('public, max-age=20904, must-revalidate, no-transform'), 20904);
    assert.equal(maxAgeOf('no-cache'), 0);
    assert.equal(maxAgeOf('private'), undefined);
  });
});

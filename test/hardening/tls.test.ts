/**
 * TLS from a client's side: old protocols and weak suites refused, renegotiation
 * refused, the handshake gate, and a certificate swap on SIGHUP in a real
 * `filmgrain start` process without dropping a connection.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import tls from 'node:tls';
import { LineClient } from '../../harness/line-client.js';
import { startCli } from '../../harness/process.js';
import { ensureDevCertificate } from '../../src/endpoint/dev-cert.js';
import { TokenBucket } from '../../src/endpoint/token-bucket.js';
import { startEndpoint } from '../support/endpoint.js';
import { FakeClock } from '../support/fake-clock.js';

type Outcome =
  | { ok: true; protocol: string; cipher: string; fingerprint: string }
  | { ok: false; error: string };

function handshake(
  port: number,
  ca: string | Buffer,
  extra: tls.ConnectionOptions = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const s = tls.connect(
      { host: '127.0.0.1', port, ca, servername: 'localhost', ...extra },
      () => {
        resolve({
          ok: true,
          protocol: s.getProtocol() ?? '',
          cipher: s.getCipher().name,
          fingerprint: s.getPeerCertificate().fingerprint256,
        });
        s.destroy();
      },
    );
    s.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, error: e.code ?? e.message }));
  });
}

describe('tls', () => {
  test('TLS 1.0/1.1 and weak or non-forward-secret suites are refused; modern ones work', async () => {
    const ep = await startEndpoint();
    try {
      // @SECLEVEL=0 lets this client *offer* what OpenSSL 3 would not by default.
      const legacy = { ciphers: 'ALL:@SECLEVEL=0' };
      for (const v of ['TLSv1', 'TLSv1.1'] as const) {
        const r = await handshake(ep.port, ep.ca, { ...legacy, minVersion: v, maxVersion: v });
        assert.equal(r.ok, false, `${v} accepted`);
      }
      for (const cipher of [
        'ECDHE-ECDSA-AES128-SHA', // CBC, SHA-1
        'ECDHE-ECDSA-AES256-SHA384', // CBC
        'ECDHE-ECDSA-AES128-SHA256', // CBC
        'AES128-GCM-SHA256', // static RSA: no forward secrecy
        'DHE-RSA-AES128-GCM-SHA256', // finite-field DH
        'ECDHE-ECDSA-NULL-SHA', // no encryption
      ]) {
        const r = await handshake(ep.port, ep.ca, {
          ciphers: `${cipher}:@SECLEVEL=0`,
          maxVersion: 'TLSv1.2',
        });
        assert.equal(r.ok, false, `${cipher} accepted`);
      }
      const v12 = await handshake(ep.port, ep.ca, {
        ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256',
        maxVersion: 'TLSv1.2',
      });
      assert.deepEqual(v12.ok && [v12.protocol, v12.cipher], [
        'TLSv1.2',
        'ECDHE-ECDSA-AES128-GCM-SHA256',
      ]);
      const v13 = await handshake(ep.port, ep.ca);
      assert.equal(v13.ok && v13.protocol, 'TLSv1.3');
      assert.ok(ep.endpoint.stats.tlsErrors >= 8);
    } finally {
      await ep.close();
    }
  });

  test('renegotiation is refused on TLS 1.2', async () => {
    const ep = await startEndpoint();
    try {
      const s = tls.connect({
        host: '127.0.0.1',
        port: ep.port,
        ca: ep.ca,
        servername: 'localhost',
        maxVersion: 'TLSv1.2',
      });
      await new Promise((r) => s.once('secureConnect', r));
      const result = await new Promise<string>((resolve) => {
        s.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`));
        s.on('close', () => resolve('closed'));
        const started = s.renegotiate({}, (err) =>
          resolve(err ? `refused ${err.message}` : 'renegotiated'),
        );
        if (!started) resolve('refused locally');
      });
      assert.notEqual(result, 'renegotiated');
      s.destroy();
    } finally {
      await ep.close();
    }
  });

  test('the handshake gate: burst, then the sustained rate (injected clock)', () => {
    let t = 0;
    const gate = new TokenBucket(10, 5, { now: () => t });
    const burst = Array.from({ length: 8 }, () => gate.take());
    assert.deepEqual(burst, [true, true, true, true, true, false, false, false]);
    t += 100; // 10/s → one token per 100 ms
    assert.equal(gate.take(), true);
    assert.equal(gate.take(), false);
    t += 10_000;
    assert.equal(Array.from({ length: 6 }, () => gate.take()).filter(Boolean).length, 5);
    const off = new TokenBucket(0, 0, { now: () => t });
    assert.ok(Array.from({ length: 1000 }, () => off.take()).every(Boolean));
  });

  test('a handshake flood past the gate is refused before TLS, established clients keep going', async () => {
    // A frozen clock: the gate refills nothing while the flood runs, however long a
    // loaded machine takes to run it, so exactly the burst gets through.
    const clock = new FakeClock(Date.now());
    const ep = await startEndpoint({ handshakesPerSecond: 20, handshakeBurst: 20, clock });
    try {
      const established = await ep.client();
      const flood = await Promise.all(Array.from({ length: 100 }, () => handshake(ep.port, ep.ca)));
      const refused = flood.filter((r) => !r.ok).length;
      assert.equal(refused, 81, `${refused} of 100 refused (the burst of 20 took 1 + 19)`);
      assert.equal(ep.endpoint.stats.handshakesRefused, refused);
      established.send('ping', { ts: 1 });
      assert.equal((await established.nextOf('pong')).params.ts, 1);
    } finally {
      await ep.close();
    }
  });

  test('SIGHUP reloads the certificate in a real process without dropping connections', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'filmgrain-sighup-'));
    const a = await ensureDevCertificate(join(dir, 'a'));
    const b = await ensureDevCertificate(join(dir, 'b'));
    const certPath = join(dir, 'cert.pem');
    const keyPath = join(dir, 'key.pem');
    await copyFile(a.certPath, certPath);
    await copyFile(a.keyPath, keyPath);
    const caA = await readFile(a.certPath);
    const caB = await readFile(b.certPath);
    const proc = startCli([
      'start',
      '--port',
      '0',
      '--cert',
      certPath,
      '--key',
      keyPath,
      '--admin-port',
      '0',
      '--log-level',
      'info',
      '--rate',
      '5',
    ]);
    const waitFor = async (what: () => boolean, label: string) => {
      for (let i = 0; i < 300 && !what(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(what(), `${label}; stdout: ${proc.stdout}; stderr: ${proc.stderr}`);
    };
    try {
      const [, port] = await proc.waitFor(/tls:\/\/127\.0\.0\.1:(\d+)/);
      const [, adminPort] = await proc.waitFor(/admin\s+http:\/\/[^:]+:(\d+)/);
      const old = await LineClient.connect({ port: Number(port), ca: caA });
      old.send('connect', {});
      await old.nextOf('set_movies');
      const before = await handshake(Number(port), caA);
      assert.ok(before.ok);

      await copyFile(b.certPath, certPath);
      await copyFile(b.keyPath, keyPath);
      proc.child.kill('SIGHUP');
      await waitFor(() => proc.stderr.includes('certificate reloaded'), 'reloaded');

      old.send('ping', { ts: 42 });
      assert.equal((await old.nextOf('pong')).params.ts, 42, 'the old connection lives');
      const after = await handshake(Number(port), caB);
      assert.ok(after.ok, JSON.stringify(after));
      assert.notEqual(after.fingerprint, before.fingerprint);
      assert.equal(
        (await handshake(Number(port), caA)).ok,
        false,
        'the old certificate is gone for new clients',
      );

      const health = await fetch(`http://127.0.0.1:${adminPort}/healthz`);
      assert.equal(health.status, 200);
      const ready = await fetch(`http://127.0.0.1:${adminPort}/readyz`);
      assert.equal(ready.status, 200);
      const metrics = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
      assert.match(metrics, /^filmgrain_connections 1$/m);
      assert.match(metrics, /^filmgrain_feeder_seen_total \d+$/m);
      old.close();
    } finally {
      await proc.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** One development certificate per test process, made under the OS temp directory. */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevCertificate } from '../../src/endpoint/dev-cert.js';
import type { TlsMaterial } from '../../src/endpoint/tls-settings.js';

let cached: Promise<TlsMaterial> | null = null;

export function testCertificate(): Promise<TlsMaterial> {
  cached ??= ensureDevCertificate(join(tmpdir(), 'filmgrain-test-cert')).then((p) => ({
    cert: readFileSync(p.certPath),
    key: readFileSync(p.keyPath),
  }));
  return cached;
}

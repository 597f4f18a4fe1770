/**
 * The development certificate: made on first run under the data directory so that
 * `filmgrain start` serves TLS with no setup. Self-signed for localhost, 127.0.0.1 and
 * ::1; clients pass it as `--ca` or use `--insecure`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface CertificatePaths {
  certPath: string;
  keyPath: string;
  created: boolean;
}

export async function ensureDevCertificate(dataDir: string): Promise<CertificatePaths> {
  const certPath = join(dataDir, 'dev-cert.pem');
  const keyPath = join(dataDir, 'dev-key.pem');
  try {
    await Promise.all([readFile(certPath), readFile(keyPath)]);
    return { certPath, keyPath, created: false };
  } catch {
    // Not there yet: make one.
  }
  await mkdir(dataDir, { recursive: true });
  const notAfter = new Date();
  notAfter.setFullYear(notAfter.getFullYear() + 2);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert);
  return { certPath, keyPath, created: true };
}

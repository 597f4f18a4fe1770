/**
 * Reads `--cert`/`--key` and checks them before a listener sees them, so a bad file
 * is named in the error: OpenSSL's own message ("error:0480006C:PEM routines::no
 * start line") says neither which file nor what to do.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import type { TlsMaterial } from '../endpoint/tls-settings.js';

async function read(path: string, flag: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`${flag} ${path}: cannot read (${e.code ?? e.message})`);
  }
}

export async function readTlsMaterial(certPath: string, keyPath: string): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([read(certPath, '--cert'), read(keyPath, '--key')]);
  try {
    new X509Certificate(cert);
  } catch (err) {
    throw new Error(
      `--cert ${certPath}: not a PEM certificate (${(err as Error).message}); expected a file starting with -----BEGIN CERTIFICATE-----`,
    );
  }
  try {
    createPrivateKey(key);
  } catch (err) {
    throw new Error(
      `--key ${keyPath}: not a PEM private key (${(err as Error).message}); expected a file starting with -----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY), unencrypted`,
    );
  }
  try {
    tls.createSecureContext({ cert, key });
  } catch (err) {
    throw new Error(
      `--cert ${certPath} and --key ${keyPath} do not go together (${(err as Error).message})`,
    );
  }
  return { cert, key };
}

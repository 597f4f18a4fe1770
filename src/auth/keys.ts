/**
 * Verification keys, each bound to exactly one algorithm when it is loaded — never when
 * a token arrives. That binding is the defence against algorithm confusion (RFC 8725 §
 * 2.1, § 3.1): an RSA public key can only ever check an RS256 signature, so an HS256
 * token "signed" with the public key's PEM as its HMAC secret finds no key to check it;
 * `alg: none` has no key at all.
 *
 * - HS256: a shared secret of ≥ 32 bytes (RFC 7518 § 3.2).
 * - RS256: an RSA public key of ≥ 2048 bits (RFC 7518 § 3.3).
 * - ES256: an EC public key on P-256 (RFC 7518 § 3.4); no other curve.
 *
 * Public keys come from PEM (SPKI, `--auth-public-key`) or from a JWK (RFC 7517, a JWKS
 * document's entries); node:crypto turns both into a KeyObject once, at load.
 */
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';

export const ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export interface VerifyKey {
  /** The one algorithm this key verifies. */
  readonly alg: Algorithm;
  /** `kid` (RFC 7515 § 4.1.4), when the key has one. */
  readonly kid: string | undefined;
  readonly key: KeyObject;
}

/** A key to mint with (`filmgrain token`, tests): its algorithm follows from the key. */
export interface SigningKey {
  readonly alg: Algorithm;
  readonly kid: string | undefined;
  readonly key: KeyObject;
}

/** Why a key was not loaded (thrown for files, logged for JWKS entries). */
export class KeyError extends Error {}

export const MIN_SECRET_BYTES = 32;
export const MIN_RSA_BITS = 2048;

export function secretKey(secret: string | Buffer): VerifyKey {
  const bytes = Buffer.from(secret);
  if (bytes.length < MIN_SECRET_BYTES)
    throw new KeyError(`an HS256 secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return { alg: 'HS256', kid: undefined, key: createSecretKey(bytes) };
}

/** The algorithm an asymmetric key (public or private) is used with, or why none. */
function algorithmOf(key: KeyObject): Algorithm {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS)
      throw new KeyError(
        `an RSA key of ${bits} bits is too small (RS256 needs ≥ ${MIN_RSA_BITS}, RFC 7518 § 3.3)`,
      );
    return 'RS256';
  }
  if (type === 'ec') {
    if (details.namedCurve !== 'prime256v1')
      throw new KeyError(
        `an EC key on ${details.namedCurve ?? 'an unknown curve'} (ES256 is P-256)`,
      );
    return 'ES256';
  }
  throw new KeyError(`a ${type ?? 'unknown'} key (RS256 takes RSA, ES256 takes EC P-256)`);
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * Every public key in a PEM text (one file may hold several, to rotate: the old and the
 * new key side by side). Refuses private keys (an endpoint needs only the public half:
 * `openssl pkey -pubout`), certificates (`openssl x509 -pubkey -noout`) and keys that
 * fit no algorithm.
 */
export function publicKeysFromPem(pem: string): VerifyKey[] {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) throw new KeyError('holds no PEM block (-----BEGIN PUBLIC KEY-----)');
  return blocks.map((block, i) => {
    const label = block[1]!;
    const where = blocks.length > 1 ? `PEM block ${i + 1}: ` : '';
    if (label.includes('PRIVATE'))
      throw new KeyError(
        `${where}holds a private key; give the public key (openssl pkey -in KEY -pubout)`,
      );
    if (label === 'CERTIFICATE')
      throw new KeyError(
        `${where}holds a certificate; give its public key (openssl x509 -in CERT -pubkey -noout)`,
      );
    if (label !== 'PUBLIC KEY' && label !== 'RSA PUBLIC KEY')
      throw new KeyError(`${where}holds "${label}", not a PUBLIC KEY`);
    let key: KeyObject;
    try {
      key = createPublicKey(block[0]);
    } catch (err) {
      throw new KeyError(`${where}is not a readable public key (${(err as Error).message})`);
    }
    try {
      return { alg: algorithmOf(key), kid: undefined, key };
    } catch (err) {
      throw new KeyError(`${where}${(err as Error).message}`);
    }
  });
}

/** A private key in PEM (PKCS#8, or the traditional RSA/EC forms) to mint with. */
export function signingKeyFromPem(pem: string, kid?: string): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new KeyError(`is not a readable private key (${(err as Error).message})`);
  }
  return { alg: algorithmOf(key), kid, key };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One JWKS entry → a key, or the reason it is skipped. Only signature keys for our two
 * asymmetric algorithms: `use` other than `sig` (RFC 7517 § 4.2), `key_ops` without
 * `verify` (§ 4.3), an `alg` that is not the one its type implies (§ 4.4: an RSA key
 * marked PS256 or RS512 is not for RS256), symmetric (`oct`) keys — a published key set
 * must not hold secrets — and private members (`d`: whoever serves a private key has
 * leaked it) are all skipped.
 */
export function keyFromJwk(jwk: unknown): VerifyKey | string {
  if (!isRecord(jwk)) return 'not a JSON object';
  const { kty, kid, use, alg } = jwk;
  if (kid !== undefined && typeof kid !== 'string') return 'kid is not a string';
  if (use !== undefined && use !== 'sig') return `use is ${JSON.stringify(use)}, not "sig"`;
  const ops = jwk.key_ops;
  if (ops !== undefined && !(Array.isArray(ops) && ops.includes('verify')))
    return 'key_ops does not include "verify"';
  if (kty === 'oct') return 'a symmetric (oct) key: HS256 takes --auth-secret only';
  if (kty !== 'RSA' && kty !== 'EC') return `kty ${JSON.stringify(kty)} is not RSA or EC`;
  if ('d' in jwk) return 'holds a private key (d): refused';
  if (kty === 'EC' && jwk.crv !== 'P-256')
    return `crv ${JSON.stringify(jwk.crv)} is not P-256 (ES256)`;
  let key: KeyObject;
  try {
    // Only the public members: node:crypto ignores the rest (x5c, ext, …).
    const members =
      kty === 'RSA' ? { kty, n: jwk.n, e: jwk.e } : { kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
    key = createPublicKey({ key: members as never, format: 'jwk' });
  } catch (err) {
    return `not a valid ${kty} key (${(err as Error).message})`;
  }
  let implied: Algorithm;
  try {
    implied = algorithmOf(key);
  } catch (err) {
    return (err as Error).message;
  }
  if (alg !== undefined && alg !== implied)
    return `alg ${JSON.stringify(alg)} (only ${implied} is verified with a ${kty} key)`;
  return { alg: implied, kid, key };
}

/** A public key as a JWK (for a development JWKS: `filmgrain token --jwks`). */
export function publicJwk(key: SigningKey): Record<string, unknown> {
  const pub = createPublicKey(key.key).export({ format: 'jwk' }) as Record<string, unknown>;
  return { ...pub, use: 'sig', alg: key.alg, ...(key.kid === undefined ? {} : { kid: key.kid }) };
}

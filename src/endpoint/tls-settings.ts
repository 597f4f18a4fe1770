/**
 * The TLS settings of every listener of the endpoint (the line port, listener.ts, and
 * the WebSocket port, websocket.ts): one certificate, one set of protocol versions and
 * suites, applied again on every certificate reload.
 */
import { constants } from 'node:crypto';
import type tls from 'node:tls';

export interface TlsMaterial {
  cert: string | Buffer;
  key: string | Buffer;
}

/**
 * Cipher suites, in our order of preference: TLS 1.3's three, then TLS 1.2 with ECDHE
 * key exchange (forward secrecy) and an AEAD cipher only — Mozilla's "intermediate"
 * profile (https://wiki.mozilla.org/Security/Server_Side_TLS). Node's default list also
 * allows DHE, CBC-mode and SHA-1 MAC suites; these are what testssl.sh flags.
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * TLS settings: 1.2 minimum, the suites above in server order, modern curves only, and
 * no renegotiation at all (`SSL_OP_NO_RENEGOTIATION`; a renegotiation costs the server
 * a full handshake, a classic DoS lever; TLS 1.3 has none anyway). Applied again on
 * every certificate reload, so a reload cannot weaken them.
 */
export function tlsContextOptions(material: TlsMaterial): tls.SecureContextOptions {
  return {
    cert: material.cert,
    key: material.key,
    minVersion: 'TLSv1.2',
    ciphers: TLS_CIPHERS,
    honorCipherOrder: true,
    ecdhCurve: 'X25519:P-256:P-384',
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION | constants.SSL_OP_NO_COMPRESSION,
  };
}

/**
 * A TLS server's options: the settings above plus the handshake deadline. Node's
 * handshake timer reports ERR_TLS_HANDSHAKE_TIMEOUT through 'tlsClientError' and leaves
 * the socket open; guardAccepts (listening.ts) destroys it. It runs from the TCP accept
 * and bytes of a dribbled ClientHello do not extend it (they are read by the TLS layer,
 * not the socket's idle timer).
 */
export function tlsServerOptions(
  material: TlsMaterial,
  handshakeTimeoutMs: number,
): tls.TlsOptions {
  return { ...tlsContextOptions(material), handshakeTimeout: handshakeTimeoutMs };
}

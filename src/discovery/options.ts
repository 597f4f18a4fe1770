/**
 * The discovery directory's options, declared once (src/options/declare.ts): how
 * `filmgrain directory` polls and where it publishes, and where `filmgrain start`
 * serves endpoints.json. The Directory's defaults (directory.ts) come from here.
 */
import { flag, int, str } from '../options/declare.js';

export const DIRECTORY_OPTIONS = {
  pollMs: int({
    flag: 'poll-ms',
    env: 'FILMGRAIN_DIRECTORY_POLL_MS',
    default: 1000,
    min: 100,
    max: 600_000,
    value: 'MS',
    doc: 'how often the registry is read',
  }),
  refreshMs: int({
    flag: 'refresh-ms',
    env: 'FILMGRAIN_DIRECTORY_REFRESH_MS',
    default: 30_000,
    min: 100,
    max: 86_400_000,
    value: 'MS',
    doc: 'rewrite at least this often (fresh load figures)',
  }),
} as const;

export const PUBLISH_OPTIONS = {
  s3Bucket: str({
    flag: 's3-bucket',
    env: 'FILMGRAIN_S3_BUCKET',
    value: 'NAME',
    doc: 'publish to this S3 bucket',
  }),
  s3Key: str({
    flag: 's3-key',
    env: 'FILMGRAIN_S3_KEY',
    default: 'endpoints.json',
    value: 'KEY',
    doc: 'object key',
  }),
  s3Region: str({
    flag: 's3-region',
    env: 'AWS_REGION',
    value: 'REGION',
    doc: 'bucket region (default us-east-1)',
  }),
  s3Endpoint: str({
    flag: 's3-endpoint',
    env: 'FILMGRAIN_S3_ENDPOINT',
    value: 'URL',
    doc: 'S3-compatible store URL (MinIO, R2, …); credentials from the standard AWS environment',
    check: (v) => (URL.canParse(v) ? null : `must be a URL, not "${v}"`),
  }),
  out: str({
    flag: 'out',
    env: 'FILMGRAIN_DIRECTORY_OUT',
    value: 'FILE',
    doc: 'also write the file here (atomic rename)',
  }),
} as const;

/** `filmgrain start` serves endpoints.json itself (development discovery). */
export const SERVE_OPTIONS = {
  directoryPort: int({
    flag: 'directory-port',
    env: 'FILMGRAIN_DIRECTORY_PORT',
    default: undefined,
    min: 0,
    max: 65_535,
    doc: 'serve endpoints.json over HTTP on this port (default: --port + 1, or any free port with --port 0)',
  }),
  noDirectory: flag({
    flag: 'no-directory',
    env: 'FILMGRAIN_NO_DIRECTORY',
    doc: 'do not serve endpoints.json (nor the web app)',
  }),
  webDir: str({
    flag: 'web-dir',
    env: 'FILMGRAIN_WEB_DIR',
    value: 'DIR',
    doc: 'serve this folder at / on the directory port (default: the web app shipped in dist/web)',
  }),
} as const;

/**
 * Where `endpoints.json` goes: S3 (or any S3-compatible store) through the AWS SDK,
 * and/or a local file (for a static web server or CDN origin). Both replace the file
 * atomically: S3 PutObject is atomic per object; the local file is written to a temp
 * name and renamed.
 */
import { rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface Publisher {
  readonly target: string;
  publish(body: string): Promise<void>;
}

/**
 * Clients should see a change within seconds: a short max-age, and must-revalidate so
 * a CDN does not serve a stale list past it.
 */
export const CACHE_CONTROL = 'public, max-age=5, must-revalidate';

export interface S3Target {
  bucket: string;
  key: string;
  /** Region; default from the AWS environment (AWS_REGION), else us-east-1. */
  region?: string;
  /** A custom endpoint URL for S3-compatible stores (MinIO, R2, a local server). */
  endpoint?: string;
  /** Path-style addressing (most S3-compatible stores need it). Default: true with `endpoint`. */
  forcePathStyle?: boolean;
}

export class S3Publisher implements Publisher {
  readonly target: string;
  private readonly client: S3Client;

  constructor(private readonly s3: S3Target) {
    this.target = `s3://${s3.bucket}/${s3.key}`;
    // Credentials come from the standard AWS chain (env, shared files, instance role).
    this.client = new S3Client({
      region: s3.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
      forcePathStyle: s3.forcePathStyle ?? s3.endpoint !== undefined,
      // A checksum only when the operation requires one: PutObject of a few hundred
      // bytes needs none, and S3-compatible stores differ in trailer-checksum support.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  }

  async publish(body: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.s3.bucket,
        Key: this.s3.key,
        Body: body,
        ContentType: 'application/json',
        CacheControl: CACHE_CONTROL,
      }),
    );
  }
}

export class FilePublisher implements Publisher {
  readonly target: string;
  constructor(private readonly path: string) {
    this.target = `file://${path}`;
  }
  async publish(body: string): Promise<void> {
    const tmp = join(dirname(this.path), `.endpoints.${process.pid}.${Date.now()}.tmp`);
    await writeFile(tmp, body);
    await rename(tmp, this.path);
  }
}

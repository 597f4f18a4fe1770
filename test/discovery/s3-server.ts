/**
 * A local S3-compatible server for tests: s3rver, which implements the S3 REST API
 * (PutObject, GetObject, CreateBucket, path-style URLs) over real HTTP, so the
 * directory's real AWS SDK code path runs against it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** Plain-HTTP URL of an object, as a client app would fetch it. */
  url(key: string): string;
  close(): Promise<void>;
}

export async function startLocalS3(bucket = 'filmgrain-test'): Promise<LocalS3> {
  // s3rver accepts any credentials; the SDK insists on having some.
  process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: mkdtempSync(join(tmpdir(), 'filmgrain-s3-')),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return {
    endpoint,
    bucket,
    url: (key) => `${endpoint}/${bucket}/${key}`,
    close: () => server.close(),
  };
}

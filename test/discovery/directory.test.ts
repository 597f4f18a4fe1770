/** The directory publishes endpoints.json to a local S3-compatible server (real SDK, real HTTP) and to a file. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Directory } from '../../src/discovery/directory.js';
import { CACHE_CONTROL, FilePublisher, S3Publisher } from '../../src/discovery/publish.js';
import type { ListedEndpoint } from '../../src/protocol/index.js';
import { type LocalS3, startLocalS3 } from './s3-server.js';

const ep = (id: string, extra: Partial<ListedEndpoint> = {}): ListedEndpoint => ({
  id,
  host: '127.0.0.1',
  port: 5000 + Number(id.replace(/\D/g, '')),
  tls: true,
  connections: 10,
  capacity: 100,
  draining: false,
  ...extra,
});

describe('directory', () => {
  let s3: LocalS3;
  before(async () => {
    s3 = await startLocalS3();
  });
  after(() => s3.close());

  test('publishes to S3 with a short Cache-Control; lists live, non-draining endpoints; rewrites on change', async () => {
    let live = [ep('e1'), ep('e2'), ep('e3', { draining: true })];
    let now = 1_000_000;
    const dir = mkdtempSync(join(tmpdir(), 'filmgrain-dir-'));
    const directory = new Directory(
      { list: async () => live },
      [
        new S3Publisher({ bucket: s3.bucket, key: 'endpoints.json', endpoint: s3.endpoint }),
        new FilePublisher(join(dir, 'endpoints.json')),
      ],
      { now: () => now, refreshMs: 30_000 },
    );
    assert.equal(await directory.tick(), true);
    const res = await fetch(s3.url('endpoints.json'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), CACHE_CONTROL);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const file = (await res.json()) as {
      version: number;
      generated_at: string;
      endpoints: { id: string; capacity: number }[];
    };
    assert.equal(file.version, 1);
    assert.equal(file.generated_at, new Date(1_000_000).toISOString());
    assert.deepEqual(
      file.endpoints.map((e) => e.id),
      ['e1', 'e2'],
    );
    assert.equal(file.endpoints[0]?.capacity, 100);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')), file);

    now += 1000;
    assert.equal(await directory.tick(), false, 'same membership: no write');
    live = [ep('e2'), ep('e4')];
    now += 1000;
    assert.equal(await directory.tick(), true, 'a join and a leave: written');
    const again = (await (await fetch(s3.url('endpoints.json'))).json()) as {
      endpoints: { id: string }[];
    };
    assert.deepEqual(
      again.endpoints.map((e) => e.id),
      ['e2', 'e4'],
    );
    now += 31_000;
    assert.equal(await directory.tick(), true, 'periodic refresh of load figures');
  });

  test('a failed write is retried on the next tick', async () => {
    let fail = true;
    let writes = 0;
    const directory = new Directory(
      { list: async () => [ep('e1')] },
      [
        {
          target: 'flaky',
          publish: async () => {
            if (fail) throw new Error('store down');
            writes++;
          },
        },
      ],
      { onError: () => {} },
    );
    assert.equal(await directory.tick(), false);
    fail = false;
    assert.equal(await directory.tick(), true);
    assert.equal(writes, 1);
  });
});

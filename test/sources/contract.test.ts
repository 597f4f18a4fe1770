/**
 * The contract every source keeps, run against each implementation (each networked one
 * against its local fake): posts are well-formed `Tweet`s, stats count them, `stop()`
 * resolves and nothing is emitted after it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSource, type SourceOptions } from '../../src/feeder/sources/index.js';
import type { Catalog } from '../../src/matching/catalog.js';
import type { Tweet } from '../../src/protocol/index.js';
import { postEvent, startFakeJetstream } from './fake-jetstream.js';
import { startFakeX, xLine } from './fake-x.js';

const catalog: Catalog = {
  movies: [
    { id: 1, title: 'Dune: Part Two', year: 2024 },
    { id: 2, title: 'Wicked', year: 2024 },
  ],
};
const HOUR = 3_600_000;

interface Setup {
  options: SourceOptions;
  close(): Promise<void>;
}

const setups: Record<string, () => Promise<Setup>> = {
  synthetic: async () => ({
    options: { kind: 'synthetic', catalog, rate: 500, seed: 1, tickMs: 10 },
    close: async () => {},
  }),
  jetstream: async () => {
    const events = Array.from({ length: 5 }, (_, i) =>
      postEvent('did:plc:c', 1_725_911_162_000_000 + i, `rk${i}`, `post ${i}`),
    );
    const server = await startFakeJetstream({ events });
    return {
      options: { kind: 'jetstream', url: server.url, idleTimeoutMs: HOUR },
      close: () => server.close(),
    };
  },
  x: async () => {
    const server = await startFakeX({
      token: 't',
      scripts: [
        [{ line: xLine('1', 'a') }, { heartbeat: true }, { line: xLine('2', 'b') }, { hang: true }],
      ],
    });
    return {
      options: {
        kind: 'x',
        catalog,
        bearerToken: 't',
        baseUrl: server.baseUrl,
        stallTimeoutMs: HOUR,
      },
      close: () => server.close(),
    };
  },
  replay: async () => {
    const p = join(mkdtempSync(join(tmpdir(), 'filmgrain-contract-')), 'r.ndjson');
    writeFileSync(
      p,
      `${JSON.stringify(xLine('7', 'x'))}\n${postEvent('did:plc:c', 1_725_911_162_000_000, 'rk', 'b').frame}\n`,
    );
    return { options: { kind: 'replay', path: p, pace: 'max' }, close: async () => {} };
  },
};

function assertTweet(t: Tweet): void {
  assert.equal(typeof t.id, 'string');
  assert.ok(t.id.length > 0);
  assert.equal(typeof t.text, 'string');
  assert.equal(typeof t.user.id, 'string');
  assert.equal(typeof t.user.name, 'string');
  assert.equal(new Date(t.created_at).toISOString(), t.created_at);
  assert.ok(['bluesky', 'x', 'replay', 'synthetic'].includes(t.source));
}

for (const [kind, setup] of Object.entries(setups)) {
  test(`contract: ${kind}`, async () => {
    const { options, close } = await setup();
    const src = createSource(options);
    assert.equal(src.name.length > 0, true);
    const got: Tweet[] = [];
    let afterStop = false;
    src.start((batch) => {
      assert.ok(!afterStop, 'emitted after stop()');
      assert.ok(batch.length > 0, 'no empty batches');
      got.push(...batch);
    });
    const end = Date.now() + 3000;
    while (got.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    assert.ok(got.length >= 2, `${kind} produced ${got.length}`);
    for (const t of got) assertTweet(t);
    await src.stop();
    afterStop = true;
    assert.equal(src.stats().posts, got.length);
    assert.equal(src.stats().malformed, 0);
    await new Promise((r) => setTimeout(r, 30));
    await close();
  });
}

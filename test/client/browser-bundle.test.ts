/**
 * `filmgrain/client` runs unchanged in a browser (issue 13 item 2): its entry is
 * bundled for the browser platform with esbuild, which fails on any import it cannot
 * resolve there — a Node built-in (`node:net`, `fs`, …) or a Node-only package. The
 * Node entry (`filmgrain/client/node`) must, on the contrary, be the one that pulls
 * Node in: bundling it the same way must fail, so the check can fail at all.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { ROOT } from '../../harness/process.js';

async function bundleForBrowser(entry: string) {
  return build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
  });
}

test('the portable client core bundles for the browser with no Node built-in', async () => {
  const result = await bundleForBrowser('src/client/index.ts');
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(
    inputs.some((f) => f.endsWith('src/client/client.ts')),
    `the bundle holds the client (${inputs.length} inputs)`,
  );
  const node = inputs.filter((f) => /^node:|node_modules/.test(f));
  assert.deepEqual(node, [], 'no Node module and no package in the browser bundle');
  const text = result.outputFiles[0]!.text;
  assert.doesNotMatch(text, /\bBuffer\./, 'no Node Buffer in the core');
});

test('reference: the Node entry does not bundle for the browser (it imports node:tls)', async () => {
  await assert.rejects(bundleForBrowser('src/client/node.ts'), /node:(net|tls)/);
});

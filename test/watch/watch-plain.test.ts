/** `filmgrain watch` in a pipe: plain lines (ranking snapshots, posts), no escapes. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliArgs, ROOT } from '../../harness/process.js';
import { post, startEndpoint } from '../support/endpoint.js';

const root = ROOT;
const entry = cliArgs([]);

test('piped output: a ranking snapshot, then the followed movie’s posts as lines', async () => {
  const ep = await startEndpoint();
  const dir = mkdtempSync(join(tmpdir(), 'filmgrain-watch-plain-'));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, ep.ca);
  const child = spawn(
    process.execPath,
    [...entry, 'watch', '--port', String(ep.port), '--ca', ca, '--movie', '2'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  const until = async (re: RegExp) => {
    const deadline = Date.now() + 10_000;
    while (!re.test(out)) {
      if (Date.now() > deadline) throw new Error(`no ${re} in:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await until(/^ {2}1 {3}Dune: Part Two \(0\)$/m);
    await new Promise((r) => setTimeout(r, 200)); // start_feed lands
    await ep.engine.ingest([post([2], 'Inside Out 2 made me cry', 'riley')]);
    await until(/^post \[Inside Out 2\] \S+ riley: Inside Out 2 made me cry$/m);
    assert.match(out, /^# connecting\n# connected tls:\/\/127\.0\.0\.1:\d+\n/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no escape sequence may appear
    assert.doesNotMatch(out, /\x1b/);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await ep.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

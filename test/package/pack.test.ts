/**
 * The package as a user gets it: `npm pack` the repository, install the tarball into an
 * empty project, then import every `exports` entry and run the `bin` (issue 14: `import
 * 'filmgrain'` used to fail because exports["."] named a file nothing built).
 *
 * Packs with --ignore-scripts (the `prepare` build would empty `dist/` under the other
 * tests running beside this one); the tarball is made from the `dist/` this run built.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from '../../harness/process.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'fg-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));

it('the packed tarball installs into an empty project: every exports entry imports, the bin runs', async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, unknown>;
  };
  const { stdout } = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
    {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  const shipped = packed.files.map((f) => f.path);
  assert.ok(shipped.includes('data/catalog.json'), 'the catalog ships');
  assert.ok(
    shipped.includes('dist/web/index.html'),
    'the web app ships (filmgrain start serves it)',
  );
  assert.ok(
    shipped.some((p) => p.startsWith('dist/web/assets/') && p.endsWith('.woff2')),
    'with its font',
  );
  assert.ok(
    !shipped.some((p) => p.startsWith('dist/test/') || p.startsWith('dist/bench/')),
    'no tests or benchmarks in the package',
  );

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'app', private: true, type: 'module' }),
  );
  await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed.filename)],
    {
      cwd: app,
      timeout: 300_000,
    },
  );

  const entries = Object.keys(pkg.exports).map((k) =>
    k === '.' ? 'filmgrain' : `filmgrain/${k.slice(2)}`,
  );
  assert.ok(entries.length >= 4);
  const script = entries
    .map(
      (e) =>
        `{ const m = await import(${JSON.stringify(e)}); if (Object.keys(m).length === 0) throw new Error(${JSON.stringify(`${e} exports nothing`)}); }`,
    )
    .join('\n');
  writeFileSync(join(app, 'check.mjs'), `${script}\nconsole.log('imported ${entries.length}');\n`);
  const imported = await run(process.execPath, ['check.mjs'], { cwd: app });
  assert.equal(imported.stdout.trim(), `imported ${entries.length}`);
  // The root entry is the Node SDK: createClient dials over TLS by default.
  const root = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const m = await import('filmgrain'); console.log(typeof m.createClient, typeof m.nodeTransport)",
    ],
    { cwd: app },
  );
  assert.equal(root.stdout.trim(), 'function function');

  const help = await run('npx', ['--no-install', 'filmgrain', '--help'], { cwd: app });
  assert.match(help.stdout, /^usage: filmgrain <command>/);
  assert.match(help.stdout, /^\s+start$/m);
});

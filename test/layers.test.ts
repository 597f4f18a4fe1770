/**
 * The layers of src/ are the README's "Layers" table, enforced: every import of every
 * source file is read (the TypeScript scanner, so `export … from` and dynamic `import()`
 * count too), resolved to the folder it lands in, and checked against the table. A folder
 * missing from the table, or an import the table does not allow, fails with the file and
 * the import named.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { ROOT } from '../harness/process.js';

const SRC = join(ROOT, 'src');

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The README's table: folder → the folders it may import (`*` = any). */
function layerTable(): Map<string, Set<string> | '*'> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('| folder | may import |');
  assert.ok(start >= 0, 'README.md has a "| folder | may import |" table');
  const rows = readme
    .slice(start)
    .split('\n')
    .slice(2)
    .filter((l, i, all) => l.startsWith('|') && all.slice(0, i).every((x) => x.startsWith('|')));
  const table = new Map<string, Set<string> | '*'>();
  for (const row of rows) {
    const [, folder, allowed] = row.split('|').map((c) => c.trim());
    const name = folder?.match(/^`src\/([a-z-]+)\/`$/)?.[1];
    assert.ok(name !== undefined && allowed !== undefined, `a table row names a folder: ${row}`);
    table.set(
      name,
      allowed.startsWith('anything')
        ? '*'
        : new Set([...allowed.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!)),
    );
  }
  return table;
}

interface Import {
  file: string;
  spec: string;
}

function importsOf(file: string): Import[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => ({ file, spec: f.fileName }));
}

const folderOf = (abs: string): string => relative(SRC, abs).split(sep)[0]!;

test('every src/ folder imports only what the README layers table allows', () => {
  const table = layerTable();
  const files = walk(SRC);
  assert.ok(files.length > 50, `the sources were found (${files.length})`);
  const folders = new Set(files.map(folderOf));
  for (const f of folders) assert.ok(table.has(f), `src/${f}/ has a row in README's layers table`);
  for (const f of table.keys()) assert.ok(folders.has(f), `README's src/${f}/ exists`);
  const violations: string[] = [];
  let checked = 0;
  for (const file of files) {
    const from = folderOf(file);
    const allowed = table.get(from)!;
    for (const { spec } of importsOf(file)) {
      if (!spec.startsWith('.')) {
        // The protocol is a leaf in the strict sense: no package, not even node:.
        if (from === 'protocol') violations.push(`${relative(ROOT, file)} imports ${spec}`);
        continue;
      }
      checked++;
      const target = resolve(dirname(file), spec);
      const rel = relative(SRC, target);
      if (rel.startsWith('..')) {
        violations.push(`${relative(ROOT, file)} imports ${spec}, outside src/`);
        continue;
      }
      const to = folderOf(target);
      if (to === from || allowed === '*') continue;
      if (!allowed.has(to))
        violations.push(`${relative(ROOT, file)} (${from}) imports ${spec} (${to})`);
    }
  }
  assert.ok(checked > 100, `relative imports were read (${checked})`);
  assert.deepEqual(violations, []);
});

test('nothing imports the composition root src/cli/ (except itself)', () => {
  const offenders = walk(SRC)
    .filter((f) => folderOf(f) !== 'cli')
    .flatMap(importsOf)
    .filter(
      ({ file, spec }) => spec.startsWith('.') && folderOf(resolve(dirname(file), spec)) === 'cli',
    )
    .map(({ file, spec }) => `${relative(ROOT, file)} imports ${spec}`);
  assert.deepEqual(offenders, []);
});

test('bench/ and harness/ never import test/ (shared helpers live in harness/)', () => {
  const offenders: string[] = [];
  for (const dir of ['bench', 'harness']) {
    for (const file of walk(join(ROOT, dir))) {
      for (const { spec } of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const top = relative(ROOT, resolve(dirname(file), spec)).split(sep)[0];
        if (top === 'test' || (dir === 'harness' && top === 'bench'))
          offenders.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

/**
 * PROTOCOL.md § 8 and `ERROR_CODES` are the same table, written twice (one for people,
 * one for code). This reads the document's table and compares every row: the set of
 * codes, each `fatal` flag and each `retry` policy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../harness/process.js';
import { ERROR_CODES } from '../../src/protocol/index.js';

interface Row {
  fatal: boolean;
  retry: string;
}

function documentedCodes(): Map<string, Row> {
  const doc = readFileSync(join(ROOT, 'PROTOCOL.md'), 'utf8');
  const start = doc.indexOf('\n## 8. Error codes');
  assert.ok(start >= 0, 'PROTOCOL.md has a § 8 "Error codes"');
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end === -1 ? undefined : end);
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const header = lines[0]?.split('|').map((c) => c.trim());
  assert.deepEqual(header?.slice(1, 4), ['code', 'fatal', 'retry'], 'the table columns');
  const rows = new Map<string, Row>();
  for (const line of lines.slice(2)) {
    const [, code, fatal, retry] = line.split('|').map((c) => c.trim().replace(/^`|`$/g, ''));
    assert.ok(code !== undefined && fatal !== undefined && retry !== undefined, line);
    assert.ok(fatal === 'yes' || fatal === 'no', `fatal of ${code} is yes or no, not "${fatal}"`);
    assert.ok(!rows.has(code), `${code} is listed once`);
    rows.set(code, { fatal: fatal === 'yes', retry });
  }
  return rows;
}

test('PROTOCOL.md § 8 lists exactly the codes of ERROR_CODES, with the same fatal and retry', () => {
  const doc = documentedCodes();
  const code = new Map(
    Object.entries(ERROR_CODES).map(([c, spec]) => [c, { fatal: spec.fatal, retry: spec.retry }]),
  );
  assert.ok(doc.size >= 20, `the table was read (${doc.size} rows)`);
  assert.deepEqual([...doc.keys()].sort(), [...code.keys()].sort());
  for (const [c, row] of doc) assert.deepEqual(row, code.get(c), c);
});

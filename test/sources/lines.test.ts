import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextLineSplitter } from '../../src/feeder/sources/lines.js';

test('splits on \\n and \\r\\n across arbitrary chunks; keep-alives are empty lines', () => {
  const s = new TextLineSplitter();
  const text = '{"a":1}\r\n\r\n{"b":2}\n{"c":3}';
  const out: string[] = [];
  for (const ch of text) for (const ev of s.push(ch)) if (ev.type === 'line') out.push(ev.line);
  for (const ev of s.end()) if (ev.type === 'line') out.push(ev.line);
  assert.deepEqual(out, ['{"a":1}', '', '{"b":2}', '{"c":3}']);
});

test('a line over the cap is reported once and discarded up to its end', () => {
  const s = new TextLineSplitter({ maxLineLength: 8 });
  const events = [
    ...s.push('short\nthis line is far'),
    ...s.push(' too long'),
    ...s.push(' still\nok\n'),
  ];
  assert.deepEqual(events, [
    { type: 'line', line: 'short' },
    { type: 'overflow' },
    { type: 'line', line: 'ok' },
  ]);
  assert.deepEqual(s.push('123456789\n'), [{ type: 'overflow' }]);
});

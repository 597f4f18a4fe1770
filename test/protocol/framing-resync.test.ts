import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from '../../src/protocol/framing.js';

function collect(resync: boolean) {
  const events: string[] = [];
  const splitter = new LineSplitter(
    8,
    {
      line: (t) => events.push(`line ${t}`),
      invalidEncoding: () => events.push('bad'),
      overflow: () => events.push('overflow'),
      blank: () => events.push('blank'),
    },
    { resync },
  );
  return { events, splitter };
}

test('resync: an over-long line is reported once and the next lines still come, in any chunking', () => {
  const input = Buffer.from('ab\n0123456789abc\n\ncd\r\nlast');
  for (let cut = 1; cut < input.length; cut++) {
    const { events, splitter } = collect(true);
    splitter.push(input.subarray(0, cut));
    splitter.push(input.subarray(cut));
    splitter.end();
    assert.deepEqual(
      events,
      ['line ab', 'overflow', 'blank', 'line cd', 'line last'],
      `cut ${cut}`,
    );
  }
});

test('without resync an overflow still stops the stream (a peer cannot be re-synchronised)', () => {
  const { events, splitter } = collect(false);
  splitter.push(Buffer.from('ab\n0123456789abc\ncd\n'));
  splitter.end();
  assert.deepEqual(events, ['line ab', 'overflow']);
});

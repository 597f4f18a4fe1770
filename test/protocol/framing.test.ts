import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from '../../src/protocol/index.js';

function collect(max: number) {
  const events: string[] = [];
  const splitter = new LineSplitter(max, {
    line: (t) => events.push(`line:${t}`),
    invalidEncoding: () => events.push('invalid'),
    overflow: () => events.push('overflow'),
  });
  return { events, splitter };
}

test('lines split at every byte boundary (including inside UTF-8 sequences) decode whole', () => {
  const text = '{"a":"héllo ☃ 🎬"}\n{"b":2}\n';
  const bytes = Buffer.from(text);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const { events, splitter } = collect(1000);
    splitter.push(bytes.subarray(0, cut));
    splitter.push(bytes.subarray(cut));
    assert.deepEqual(events, ['line:{"a":"héllo ☃ 🎬"}', 'line:{"b":2}'], `cut at ${cut}`);
  }
});

test('one byte at a time', () => {
  const { events, splitter } = collect(1000);
  for (const b of Buffer.from('{"x":1}\r\n\n{"y":2}\n')) splitter.push(Buffer.from([b]));
  assert.deepEqual(events, ['line:{"x":1}', 'line:{"y":2}']);
});

test('a line longer than the cap overflows once and stops the stream', () => {
  const { events, splitter } = collect(10);
  splitter.push(Buffer.from('0123456789\n'));
  splitter.push(Buffer.from('01234'));
  splitter.push(Buffer.from('567890'));
  splitter.push(Buffer.from('\n{"ok":1}\n'));
  assert.deepEqual(events, ['line:0123456789', 'overflow']);
});

test('the cap counts buffered bytes without a newline too', () => {
  const { events, splitter } = collect(8);
  for (let i = 0; i < 20; i++) splitter.push(Buffer.from('x'));
  assert.deepEqual(events, ['overflow']);
  assert.equal(splitter.buffered, 0, 'nothing held after overflow');
});

test('invalid UTF-8 is reported per line; the next line still parses', () => {
  const { events, splitter } = collect(100);
  splitter.push(Buffer.from([0x61, 0xc3, 0x28, 0x0a]));
  splitter.push(Buffer.from('ok\n'));
  assert.deepEqual(events, ['invalid', 'line:ok']);
});

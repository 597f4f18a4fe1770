/** The backlog pacer, sans I/O: room, order of feeds, dropped feeds, unmeasured bytes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BacklogPacer, PendingFeed } from '../../src/endpoint/backlog-pacer.js';

const lines = (tag: string, n: number, size = 10) =>
  Array.from({ length: n }, (_, i) => Buffer.from(`${tag}${i}`.padEnd(size, '.')));
const names = (b: { lines: Buffer[] } | null) =>
  (b?.lines ?? []).map((l) => l.toString().replace(/\.+$/, ''));

test('hands out up to the room, feeds in order, each done before the next; live ones go live', () => {
  const live: string[] = [];
  const pacer = new BacklogPacer(35, false);
  const a = new PendingFeed(lines('a', 3), 1000, () => live.push('a'));
  const b = new PendingFeed(lines('b', 2), 1000, () => live.push('b'));
  pacer.add(a);
  pacer.add(b);
  // 35 bytes of room: four 10-byte lines (the last one started below the target).
  assert.deepEqual(names(pacer.take(0)), ['a0', 'a1', 'a2', 'b0']);
  assert.deepEqual(live, ['a']);
  assert.equal(pacer.take(40), null, 'no room while 40 bytes are unsent');
  assert.ok(b.addLive(lines('L', 1), 10));
  assert.deepEqual(names(pacer.take(0)), ['b1', 'L0']);
  assert.deepEqual(live, ['a', 'b']);
  assert.equal(pacer.size, 0);
});

test('a dropped feed is skipped; live posts past the bound are refused', () => {
  const pacer = new BacklogPacer(100, false);
  const a = new PendingFeed(lines('a', 3), 15, () => {});
  const b = new PendingFeed(lines('b', 1), 15, () => {});
  pacer.add(a);
  pacer.add(b);
  a.dropped = true;
  assert.deepEqual(names(pacer.take(0)), ['b0']);
  const c = new PendingFeed([], 15, () => {});
  assert.equal(c.addLive(lines('x', 1), 10), true);
  assert.equal(c.addLive(lines('y', 1), 10), false, '20 live bytes > 15');
});

test('bytes handed out since the last measurement count as unsent until the next one', () => {
  const pacer = new BacklogPacer(30, true);
  pacer.add(new PendingFeed(lines('a', 10), 1000, () => {}));
  assert.deepEqual(names(pacer.take(0)), ['a0', 'a1', 'a2']);
  assert.equal(pacer.take(0), null, 'the kernel may still hold them');
  assert.equal(pacer.waitingForMeasure, true);
  pacer.measured(); // the measurement (passed as `unsent`) says 10 of them are left
  assert.deepEqual(names(pacer.take(10)), ['a3', 'a4']);
  const free = new BacklogPacer(30, false); // no measurement: user-space bytes only
  free.add(new PendingFeed(lines('b', 10), 1000, () => {}));
  assert.equal(names(free.take(0)).length, 3);
  assert.equal(names(free.take(0)).length, 3);
  assert.equal(free.waitingForMeasure, false);
});

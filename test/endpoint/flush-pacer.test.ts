/** The coalescing window's arithmetic, on an injected clock (no timing in the test). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FlushPacer } from '../../src/endpoint/flush-pacer.js';

/** afterPasses 1 (the first dear pass opens the window) unless a test is about the count. */
function pacer(maxWindowMs = 100, gain = 1, thresholdMs = 0, afterPasses = 1) {
  const clock = { t: 1000 };
  return {
    clock,
    p: new FlushPacer({ maxWindowMs, gain, thresholdMs, afterPasses }, () => clock.t),
  };
}

/** One pass of `ms` on the clock (wall and CPU alike). */
function pass(clock: { t: number }, p: FlushPacer, ms: number): void {
  p.started();
  clock.t += ms;
  p.finished();
}

describe('flush pacer (coalescing window)', () => {
  test('idle: no pass yet, no delay', () => {
    const { p } = pacer();
    assert.equal(p.delay(), 0);
    assert.equal(p.window, 0);
  });

  test('after an expensive pass the next one waits gain × its duration', () => {
    const { clock, p } = pacer(100, 2);
    p.started();
    clock.t += 30; // the pass took 30 ms (slices and the turns between them)
    p.finished();
    assert.equal(p.window, 60);
    assert.equal(p.delay(), 60);
    clock.t += 25;
    assert.equal(p.delay(), 35, 'the window counts from the end of the pass');
    clock.t += 35;
    assert.equal(p.delay(), 0, 'window over: the next pass may start');
  });

  test('the window is capped at maxWindowMs however long a pass took', () => {
    const { clock, p } = pacer(100, 1);
    p.started();
    clock.t += 400;
    p.finished();
    assert.equal(p.window, 100);
    assert.equal(p.delay(), 100);
  });

  test('a cheap pass (an idle endpoint) adds no delay, and the window shrinks back', () => {
    const { clock, p } = pacer(100, 1);
    p.started();
    clock.t += 80;
    p.finished();
    assert.equal(p.window, 80);
    clock.t += 80;
    p.started();
    clock.t += 0.5; // a handful of clients
    p.finished();
    assert.equal(p.window, 0.5);
    assert.equal(p.delay(), 0, 'under a millisecond is not worth a timer');
  });

  test('long after the last pass there is no delay even with a large window', () => {
    const { clock, p } = pacer(100, 1);
    p.started();
    clock.t += 90;
    p.finished();
    clock.t += 5000; // nothing happened for 5 s
    assert.equal(p.delay(), 0);
  });

  test('a pass within the threshold opens no window; a dearer one the whole gain × duration', () => {
    const { clock, p } = pacer(100, 1, 50);
    p.started();
    clock.t += 45; // 1,000 clients: every follower had the post within 45 ms
    p.finished();
    assert.equal(p.window, 0);
    assert.equal(p.delay(), 0, 'an endpoint that keeps up writes the next post at once');
    p.started();
    clock.t += 80;
    p.finished();
    assert.equal(p.window, 80, 'gain × 80');
    assert.equal(p.delay(), 80);
    p.started();
    clock.t += 400;
    p.finished();
    assert.equal(p.window, 100, 'still capped');
  });

  test("the threshold is the process's CPU, not wall time", () => {
    const wall = { t: 1000 };
    const cpu = { t: 0 };
    const p = new FlushPacer(
      { maxWindowMs: 100, gain: 1, thresholdMs: 50, afterPasses: 1 },
      () => wall.t,
      () => cpu.t,
    );
    p.started();
    wall.t += 90; // descheduled most of the time: 90 ms passed…
    cpu.t += 20; // …for 20 ms of work
    p.finished();
    assert.equal(p.window, 0, 'the scheduler opens no window');
    p.started();
    wall.t += 90;
    cpu.t += 80;
    p.finished();
    assert.equal(p.window, 90, 'past the threshold of CPU: gain × the wall duration');
    wall.t += 10;
    assert.equal(p.delay(), 80, 'counted in wall time from the end of the pass');
  });

  test('afterPasses 2: one dear pass (a GC pause in it) opens no window; two in a row do', () => {
    const { clock, p } = pacer(100, 1, 50, 2);
    pass(clock, p, 17); // 1,000 clients: a pass costs ~17 ms
    pass(clock, p, 90); // a collection landed in this one
    assert.equal(p.window, 0, 'one dear pass is noise');
    assert.equal(p.delay(), 0, 'the next post is written at once');
    pass(clock, p, 17);
    pass(clock, p, 90);
    assert.equal(p.window, 0, 'a cheap pass between two dear ones restarts the count');
    pass(clock, p, 80);
    assert.equal(p.window, 80, 'the second dear pass in a row: gain × its duration');
    assert.equal(p.delay(), 80);
    pass(clock, p, 300);
    assert.equal(p.window, 100, 'stays open while passes stay dear, capped');
    pass(clock, p, 20);
    assert.equal(p.window, 0, 'one cheap pass closes it');
    pass(clock, p, 70);
    assert.equal(p.window, 0, 'and the count starts again');
  });

  test('afterPasses 3 needs three dear passes in a row', () => {
    const { clock, p } = pacer(100, 1, 50, 3);
    pass(clock, p, 60);
    pass(clock, p, 60);
    assert.equal(p.window, 0);
    pass(clock, p, 60);
    assert.equal(p.window, 60);
  });

  test('maxWindowMs 0 turns pacing off', () => {
    const { clock, p } = pacer(0, 1);
    p.started();
    clock.t += 500;
    p.finished();
    assert.equal(p.window, 0);
    assert.equal(p.delay(), 0);
  });

  test('started() twice keeps the first start (a pass spans several slices)', () => {
    const { clock, p } = pacer(100, 1);
    p.started();
    clock.t += 10;
    p.started();
    clock.t += 10;
    p.finished();
    assert.equal(p.window, 20);
    p.finished(); // no pass running: ignored
    assert.equal(p.window, 20);
  });
});

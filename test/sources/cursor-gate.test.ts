/**
 * The cursor gate drops what a resumed Jetstream connection sends again: every event
 * older than the newest seen, and a post already seen at the newest time_us (a cursor
 * resumes at that time, so its events arrive twice). Several events may share a time_us.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CursorGate } from '../../src/feeder/sources/jetstream-format.js';

test('older events are dropped; a post seen at the newest time is dropped when it comes again', () => {
  const g = new CursorGate();
  assert.equal(g.admit(100, 'a'), true);
  assert.equal(g.admit(99, 'z'), false, 'older than the cursor');
  assert.equal(g.admit(100, 'a'), false, 'the same post again');
  assert.equal(g.admit(100, 'b'), true, 'another post at the same time');
  assert.equal(g.admit(100, 'c'), true);
  assert.equal(g.admit(100, 'b'), false);
  assert.equal(g.admit(100, 'c'), false);
  assert.equal(g.admit(100, 'a'), false, 'the first one is still known');
  assert.equal(g.admit(100, undefined), true, 'a non-post event is never a duplicate');
  assert.equal(g.admit(101, 'b'), true, 'a newer time starts afresh');
  assert.equal(g.admit(101, 'b'), false);
  assert.equal(g.admit(101, 'a'), true, 'what was seen at an older time is forgotten');
  assert.equal(g.cursor, 101);
});

test('a time whose first event is no post still remembers the posts after it', () => {
  const g = new CursorGate(50);
  assert.equal(g.admit(50, 'x'), true, 'the start cursor is a time like any other');
  assert.equal(g.admit(60, undefined), true);
  assert.equal(g.admit(60, 'p'), true);
  assert.equal(g.admit(60, 'q'), true);
  assert.equal(g.admit(60, 'p'), false);
  assert.equal(g.admit(60, 'q'), false);
  // Ids are compared by value: a concatenation equal to a seen id is the same post.
  const did = 'did:plc:abc';
  assert.equal(g.admit(70, `at://${did}/app.bsky.feed.post/1`), true);
  assert.equal(g.admit(70, ['at://', did, '/app.bsky.feed.post/', '1'].join('')), false);
});

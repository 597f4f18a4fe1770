/** Post ids (src/protocol/post-id.ts): the opaque wire rule and the server's own form. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeenIds } from '../../src/client/seen-ids.js';
import {
  comparePostIds,
  isPostId,
  isServerPostId,
  MAX_POST_ID_LENGTH,
  PostIdClock,
  parseClientLine,
  parseServerLine,
} from '../../src/protocol/index.js';

test('a client accepts any string of 1 to 64 characters as a post id, and nothing else', () => {
  for (const id of ['1764161234567-0', 'abc', 'x'.repeat(MAX_POST_ID_LENGTH), '0-0'])
    assert.equal(isPostId(id), true, id);
  for (const id of ['', 'x'.repeat(MAX_POST_ID_LENGTH + 1), 17, null, undefined, {}])
    assert.equal(isPostId(id), false, String(id));
});

test('the server reads back only its own form <ms>-<seq>, up to 20 digits each (Redis ids)', () => {
  for (const id of ['0-0', '1764161234567-3', '18446744073709551615-18446744073709551615'])
    assert.equal(isServerPostId(id), true, id);
  for (const id of ['1-', '-1', '1-2-3', 'a-1', `${'9'.repeat(21)}-0`, '1 -2', ''])
    assert.equal(isServerPostId(id), false, id);
});

test('one rule at both edges: since is checked in the server form, post_id only as opaque', () => {
  const since = (s: string) =>
    parseClientLine(JSON.stringify({ action: 'start_feed', params: { movie_id: 1, since: s } }));
  assert.equal(since('18446744073709551615-7').ok, true);
  const bad = since('opaque-id');
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.code, 'invalid_params');
  const tweet = { id: 't', text: 'x', user: { id: 'u', name: 'U' }, created_at: 'now' };
  const post = (post_id: string) =>
    parseServerLine(
      JSON.stringify({ action: 'post_tweet', params: { movie_id: 1, post_id, tweet } }),
    );
  assert.equal(post('some-future-opaque/form:42').ok, true);
  assert.equal(post('').ok, false);
});

test('comparePostIds orders by ms then seq, exactly past 2^53', () => {
  assert.ok(comparePostIds('1-0', '2-0') < 0);
  assert.ok(comparePostIds('10-0', '9-5') > 0);
  assert.ok(comparePostIds('5-2', '5-10') < 0);
  assert.equal(comparePostIds('5-2', '5-2'), 0);
  assert.equal(comparePostIds('05-2', '5-02'), 0);
  // Number() would round both to the same float.
  assert.ok(comparePostIds('9007199254740993-0', '9007199254740992-0') > 0);
  assert.ok(comparePostIds('1-18446744073709551615', '1-18446744073709551614') > 0);
});

test('PostIdClock hands out strictly increasing ids, also when time stands still or goes back', () => {
  const clock = new PostIdClock();
  const ids = [100, 100, 100, 99, 101, 101].map((t) => clock.next(t));
  assert.deepEqual(ids, ['100-0', '100-1', '100-2', '100-3', '101-0', '101-1']);
  for (let i = 1; i < ids.length; i++) assert.ok(comparePostIds(ids[i - 1]!, ids[i]!) < 0);
});

test('the SDK recognizes repeats by the ids it has seen, bounded to the newest ones', () => {
  const seen = new SeenIds(3);
  assert.equal(seen.add('b'), true);
  assert.equal(seen.add('a'), true); // opaque: no order implied
  assert.equal(seen.add('b'), false);
  seen.add('c');
  seen.add('d'); // evicts 'b', the oldest
  assert.equal(seen.size, 3);
  assert.equal(seen.add('a'), false);
  assert.equal(seen.add('b'), true);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CLIENT_ACTIONS,
  errorMessage,
  lineBytes,
  parseClientLine,
  parseServerLine,
  SERVER_ACTIONS,
} from '../../src/protocol/index.js';

const codeOf = (line: string) => {
  const r = parseClientLine(line);
  return r.ok ? 'ok' : r.code;
};

test('valid client messages parse to exactly their typed fields', () => {
  assert.deepEqual(parseClientLine('{"action":"connect","params":{}}'), {
    ok: true,
    message: { action: 'connect', params: {} },
  });
  assert.deepEqual(
    parseClientLine(
      '{"action":"connect","params":{"version":1,"client":{"name":"a","extra":1},"x":2}}',
    ),
    { ok: true, message: { action: 'connect', params: { version: 1, client: { name: 'a' } } } },
  );
  assert.deepEqual(
    parseClientLine('{"action":"start_feed","params":{"movie_id":5,"since":"12-0"}}'),
    {
      ok: true,
      message: { action: 'start_feed', params: { movie_id: 5, since: '12-0' } },
    },
  );
  assert.deepEqual(parseClientLine('{"action":"ping"}'), {
    ok: true,
    message: { action: 'ping', params: {} },
  });
});

test('each malformed message maps to its code', () => {
  assert.equal(codeOf('nope'), 'invalid_json');
  assert.equal(codeOf('[]'), 'invalid_message');
  assert.equal(codeOf('{"params":{}}'), 'invalid_message');
  assert.equal(codeOf('{"action":"ping","params":"x"}'), 'invalid_message');
  assert.equal(codeOf('{"action":"dance","params":{}}'), 'unknown_action');
  assert.equal(codeOf('{"action":"start_feed","params":{"movie_id":0}}'), 'invalid_params');
  assert.equal(
    codeOf('{"action":"start_feed","params":{"movie_id":9007199254740993}}'),
    'invalid_params',
  );
  assert.equal(
    codeOf('{"action":"start_feed","params":{"movie_id":1,"since":"abc"}}'),
    'invalid_params',
  );
  assert.equal(codeOf('{"action":"connect","params":{"version":"1"}}'), 'invalid_params');
  assert.equal(codeOf('{"action":"connect","params":{"version":3}}'), 'unsupported_version');
  assert.equal(codeOf('{"action":"connect","params":{"client":"me"}}'), 'invalid_params');
  assert.equal(codeOf('{"action":"constructor","params":{}}'), 'unknown_action');
  assert.equal(codeOf('{"action":"toString","params":{}}'), 'unknown_action');
});

test('server lines round-trip through lineBytes and parseServerLine', () => {
  const line = new TextDecoder()
    .decode(lineBytes(errorMessage('unknown_movie', 'no such movie', { movie_id: 3 })))
    .trim();
  const r = parseServerLine(line);
  assert.ok(r.ok);
  assert.deepEqual(r.message, {
    action: 'error',
    params: { code: 'unknown_movie', message: 'no such movie', fatal: false, movie_id: 3 },
  });
  const post = parseServerLine(
    '{"action":"post_tweet","params":{"movie_id":1,"post_id":"5-0","gap":true,"tweet":{"id":"t","text":"x","user":{"id":"u","name":"U"},"created_at":"2026-01-01T00:00:00Z","source":"x"}}}',
  );
  assert.ok(
    post.ok && post.message.action === 'post_tweet' && post.message.params.gap === true,
    'gap passes through',
  );
  const bad = parseServerLine('{"action":"post_tweet","params":{"movie_id":1}}');
  assert.equal(bad.ok ? 'ok' : bad.code, 'invalid_params');
});

test('CLIENT_ACTIONS and SERVER_ACTIONS are exactly the actions the parsers know', () => {
  const known = (parse: (l: string) => { ok: boolean; code?: string }, action: string) => {
    const r = parse(JSON.stringify({ action, params: {} }));
    return r.ok || r.code !== 'unknown_action';
  };
  for (const a of CLIENT_ACTIONS) assert.ok(known(parseClientLine, a), a);
  for (const a of SERVER_ACTIONS) assert.ok(known(parseServerLine, a), a);
  assert.equal(known(parseClientLine, 'set_movies'), false);
  assert.equal(known(parseServerLine, 'connect'), false);
  assert.equal(new Set(CLIENT_ACTIONS).size, 4);
  assert.equal(new Set(SERVER_ACTIONS).size, 7);
});

/** The limit log: one line per limit per interval, the next one says how many it stands for. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitLog } from '../../src/endpoint/limit-log.js';

test('one line per limit per interval; the next line counts the refusals folded into it', () => {
  let t = 0;
  const lines: Record<string, unknown>[] = [];
  const log = new LimitLog({ now: () => t }, (_m, f) => lines.push(f), 10_000);
  log.bite('max_connections_per_ip', { address: 'a' });
  for (let i = 0; i < 99; i++) log.bite('max_connections_per_ip', { address: 'a' });
  log.bite('tls_handshake_timeout'); // another limit has its own interval
  assert.deepEqual(lines, [
    { limit: 'max_connections_per_ip', address: 'a', refused: 1 },
    { limit: 'tls_handshake_timeout', refused: 1 },
  ]);
  t = 9_999;
  log.bite('max_connections_per_ip', { address: 'b' });
  assert.equal(lines.length, 2);
  t = 10_000;
  log.bite('max_connections_per_ip', { address: 'c' });
  assert.deepEqual(lines[2], {
    limit: 'max_connections_per_ip',
    address: 'c',
    refused: 101,
    sinceMs: 10_000,
  });
});

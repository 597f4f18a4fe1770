/**
 * Where the server must do what PROTOCOL.md says (issue 15): every line, also one that
 * is not UTF-8, counts against the message rate limit and the metrics; `version`
 * other than 1 or 2 is fatal, a string version is a type error.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LineClient } from '../../harness/line-client.js';
import { startEndpoint } from '../support/endpoint.js';

async function pingRtt(c: LineClient, ts: number): Promise<number> {
  const t0 = performance.now();
  c.send('ping', { ts });
  for (;;) {
    const m = await c.nextOf('pong', 15_000);
    if (m.params.ts === ts) return performance.now() - t0;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('the contract, exactly', () => {
  test('a flood of invalid UTF-8 lines is rate limited like any line; a bystander stays fast', async () => {
    const ep = await startEndpoint({ messagesPerSecond: 20, messageBurst: 40 });
    try {
      const bystander = await ep.client();
      const before: number[] = [];
      for (let i = 0; i < 5; i++) before.push(await pingRtt(bystander, i));
      const flooder = await ep.client();
      const replies: string[] = [];
      flooder.socket.on('data', () => {}); // keep reading (the LineClient collects lines)
      const N = 50_000;
      const line = Buffer.from([0xff, 0x0a]);
      const flood = Buffer.concat(Array.from({ length: N }, () => line));
      const messagesBefore = ep.endpoint.stats.messagesIn;
      flooder.socket.write(flood);
      const during: number[] = [];
      for (let i = 0; i < 5; i++) during.push(await pingRtt(bystander, 100 + i));
      // Let the server read all of it: its metrics count every line.
      const deadline = Date.now() + 10_000;
      while (ep.endpoint.stats.messagesIn - messagesBefore < N + 10 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      assert.ok(ep.endpoint.stats.messagesIn - messagesBefore >= N, 'every line is counted');
      for (;;) {
        const m = await flooder.next(300).catch(() => null);
        if (m === null) break;
        replies.push(String(m.params.code));
      }
      const invalid = replies.filter((c) => c === 'invalid_encoding').length;
      const limited = replies.filter((c) => c === 'rate_limited').length;
      // The burst of 40 (less connect's token), plus what refilled meanwhile, then one
      // rate_limited per second: nowhere near one reply per line.
      assert.ok(invalid <= 40 + 20 * 15, `${invalid} invalid_encoding replies for ${N} lines`);
      assert.ok(limited >= 1 && limited <= 15, `${limited} rate_limited replies`);
      assert.ok(
        median(during) < Math.max(250, 10 * median(before)),
        `bystander ping ${median(before).toFixed(1)} ms before, ${median(during).toFixed(1)} ms during`,
      );
    } finally {
      await ep.close();
    }
  });

  const fatalVersions: [string, unknown][] = [
    ['0', 0],
    ['-1', -1],
    ['3', 3],
    ['1.5', 1.5],
  ];
  for (const [name, version] of fatalVersions)
    test(`version ${name} is the fatal unsupported_version`, async () => {
      const ep = await startEndpoint();
      try {
        const c = await ep.client({ connect: false });
        c.send('connect', { version });
        const err = await c.nextOf('error');
        assert.equal(err.params.code, 'unsupported_version');
        assert.equal(err.params.fatal, true);
        await c.closed;
      } finally {
        await ep.close();
      }
    });

  test('version "1" (a string) is invalid_params, not fatal; 1.0 is version 1', async () => {
    const ep = await startEndpoint();
    try {
      const c = await ep.client({ connect: false });
      c.send('connect', { version: '1' });
      const err = await c.nextOf('error');
      assert.equal(err.params.code, 'invalid_params');
      assert.equal(err.params.fatal, false);
      c.sendRaw('{"action":"connect","params":{"version":1.0}}\n');
      await c.nextOf('set_movies');
    } finally {
      await ep.close();
    }
  });
});

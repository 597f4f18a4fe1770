/**
 * The slow-consumer bound, measured from the server side: a client that stops reading
 * while following a busy movie. The kernel's send queue of the server's socket is read
 * from /proc/net/tcp by port (its own small parser here, not the endpoint's), so the
 * test sees what the issue measured: 2.8-3.0 MB queued and a cut 21-29 s late before.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serverTxQueue } from '../../harness/server-tx-queue.js';
import { post, startEndpointOn, TRANSPORTS, type TransportName } from '../support/endpoint.js';

const linux = process.platform === 'linux';

async function stalledReader(
  kernelQueueCheckMs: number,
  maxMs: number,
  transport: TransportName = 'line',
) {
  const maxOutgoingBytes = 256 * 1024;
  const ep = await startEndpointOn(transport, { maxOutgoingBytes, kernelQueueCheckMs });
  try {
    const slow = await ep.client();
    slow.send('start_feed', { movie_id: 2 });
    slow.send('ping');
    await slow.nextOf('pong');
    slow.pause(); // stops reading: from here on only the server's queues fill
    const stoppedAt = Date.now();
    const clientPort = slow.localPort!;
    const text = 'x'.repeat(900);
    let maxTx = 0;
    let passedAt: number | null = null;
    // ~450 KB/s: 5 posts of ~1 KB every 10 ms, until the cut or maxMs.
    while (
      ep.endpoint.stats.errors.get('slow_consumer') === undefined &&
      Date.now() - stoppedAt < maxMs
    ) {
      await ep.engine.ingest(Array.from({ length: 5 }, () => post([2], text)));
      await new Promise((r) => setTimeout(r, 10));
      const tx = serverTxQueue(ep.clientPort, clientPort);
      maxTx = Math.max(maxTx, tx);
      if (passedAt === null && tx > maxOutgoingBytes) passedAt = Date.now();
    }
    const cut = ep.endpoint.stats.errors.get('slow_consumer') === 1;
    const cutAfterMs = Date.now() - stoppedAt;
    slow.resume();
    return {
      cut,
      cutAfterMs,
      maxTx,
      passedAfterMs: passedAt === null ? null : passedAt - stoppedAt,
    };
  } finally {
    await ep.close();
  }
}

describe('slow consumer', { skip: !linux && 'reads /proc/net/tcp' }, () => {
  for (const transport of TRANSPORTS)
    test(`a client that stops reading is cut once user + kernel bytes pass 256 KiB (${transport})`, async (t) => {
      const r = await stalledReader(250, 20_000, transport);
      t.diagnostic(
        `kernel queue max ${r.maxTx} B, cut ${r.cutAfterMs} ms after it stopped reading`,
      );
      assert.ok(r.cut, 'cut as a slow consumer');
      // The bound plus at most one check interval (250 ms) of this feed (~450 KB/s),
      // with room for a loaded machine's late timers.
      assert.ok(r.maxTx <= 256 * 1024 + 256 * 1024, `kernel queue reached ${r.maxTx} B`);
      assert.ok(r.cutAfterMs < 5000, `cut after ${r.cutAfterMs} ms`);
    });

  test('reference: counting user-space bytes only lets the kernel hold megabytes', async (t) => {
    const r = await stalledReader(0, 10_000);
    t.diagnostic(
      `without the kernel check: kernel queue max ${r.maxTx} B; cut: ${r.cut} after ${r.cutAfterMs} ms`,
    );
    // What issue 15 measured: the kernel holds far more than the bound before anything
    // happens. (If this fails, the machine's tcp_wmem is small and the check above
    // proves less than it says.)
    // (Whether user-space bytes then pass the bound within the run depends on how fast
    // the kernel filled, so the cut is reported, not asserted.)
    assert.ok(r.maxTx > 1024 * 1024, `kernel queue reached only ${r.maxTx} B`);
  });
});

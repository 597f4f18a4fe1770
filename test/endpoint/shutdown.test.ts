/**
 * Shutdown (issue 14 item 5): `shutting_down` reaches a client whose socket was backed
 * up when the endpoint stopped — the endpoint waits for connections to close (at most
 * 2 s) before dropping what is still queued.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeLine } from '../../src/endpoint/encode.js';
import { errorMessage } from '../../src/protocol/index.js';
import { post, startEndpointOn, TRANSPORTS } from '../support/endpoint.js';

for (const transport of TRANSPORTS)
  test(`a backed-up client still gets shutting_down as its last message (${transport})`, async () => {
    const ep = await startEndpointOn(transport, { kernelQueueCheckMs: 0 });
    try {
      const c = await ep.client();
      c.send('start_feed', { movie_id: 1 });
      await c.nextOf('feed_started');
      c.pause();
      // Posts until the kernel's buffers are full and the socket holds a write of its own
      // (what a destroy would drop), staying under the 256 KiB slow-consumer bound.
      const text = 'x'.repeat(900);
      const [session] = ep.endpoint.someSessions(1);
      for (let i = 0; i < 2000 && session!.conn.bufferedBytes === 0; i++) {
        await ep.engine.ingest(Array.from({ length: 10 }, () => post([1], text)));
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.ok(
        session!.conn.bufferedBytes > 0,
        'the socket holds a write the kernel had no room for',
      );
      ep.endpoint.closeAll(
        encodeLine(errorMessage('shutting_down', 'the endpoint is shutting down')),
      );
      setTimeout(() => c.resume(), 300); // the client reads again while the endpoint waits
      await ep.endpoint.settle();
      let last: string | undefined;
      for (;;) {
        const m = await c.next(3000);
        if (m === null) break;
        last = m.action === 'error' ? String(m.params.code) : m.action;
      }
      // (Without the wait, close() destroys the socket with the line still in it.)
      assert.equal(last, 'shutting_down');
    } finally {
      await ep.close();
    }
  });

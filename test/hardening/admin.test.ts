/** The admin server: /metrics moves as clients act; /healthz; /readyz follows the engine. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startAdmin } from '../../src/admin/server.js';
import type { EngineStatus } from '../../src/engine/engine.js';
import type { FeederStats } from '../../src/feeder/feeder.js';
import { post, startEndpoint } from '../support/endpoint.js';

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

/** `name{labels} value` lines of a Prometheus page, as a map. */
function parse(page: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of page.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe('admin', () => {
  test('/metrics counters move as clients connect, follow, receive and misbehave', async () => {
    const ep = await startEndpoint();
    const feederStats: FeederStats = {
      seen: 0,
      matched: 0,
      unmatched: 0,
      accepted: 0,
      duplicates: 0,
      capped: 0,
      dropped: 0,
      buffered: 0,
      engineErrors: 0,
    };
    let status: EngineStatus = 'up';
    const admin = await startAdmin(
      {
        endpoint: ep.endpoint,
        feeder: { stats: feederStats },
        engine: { kind: 'memory', status: () => status },
      },
      { host: '127.0.0.1', port: 0, readiness: [() => (status === 'up' ? null : 'engine down')] },
    );
    try {
      const before = parse((await get(admin.port, '/metrics')).body);
      assert.equal(before.get('filmgrain_connections'), 0);
      assert.equal(before.get('filmgrain_engine_up{kind="memory"}'), 1);
      assert.ok(before.has('nodejs_eventloop_delay_seconds{quantile="0.99"}'));
      assert.ok(before.has('process_resident_memory_bytes'));

      const c = await ep.client();
      c.send('start_feed', { movie_id: 1 });
      c.send('ping'); // the pong says start_feed was handled: the posts below go out live
      await c.nextOf('pong');
      await ep.engine.ingest([post([1]), post([1])]);
      await c.nextOf('post_tweet');
      await c.nextOf('post_tweet');
      c.sendRaw('{not json\n');
      assert.equal((await c.nextOf('error')).params.code, 'invalid_json');
      feederStats.seen += 5;
      feederStats.matched += 3;
      feederStats.unmatched += 2;

      const during = parse((await get(admin.port, '/metrics')).body);
      const moved = (k: string) => (during.get(k) ?? 0) - (before.get(k) ?? 0);
      assert.equal(during.get('filmgrain_connections'), 1);
      assert.equal(during.get('filmgrain_feeds'), 1);
      assert.equal(moved('filmgrain_connections_opened_total'), 1);
      assert.equal(moved('filmgrain_feeds_started_total'), 1);
      assert.equal(moved('filmgrain_messages_in_total'), 4); // connect, start_feed, ping, garbage
      assert.ok(moved('filmgrain_messages_out_total') >= 5); // set_movies, pong, 2 posts, error
      assert.ok(moved('filmgrain_bytes_in_total') > 0);
      assert.ok(moved('filmgrain_bytes_out_total') > 0);
      assert.equal(moved('filmgrain_posts_delivered_total'), 2);
      // An idle endpoint: the two posts went out in flush passes, no window opened.
      assert.ok(moved('filmgrain_flush_passes_total') >= 1);
      assert.equal(moved('filmgrain_flush_windows_opened_total'), 0);
      assert.equal(during.get('filmgrain_flush_window_seconds'), 0);
      // The v1 client's set_movies after connect; no ranking changed since.
      assert.equal(moved('filmgrain_ranking_lines_out_total{kind="full"}'), 1);
      assert.equal(moved('filmgrain_ranking_lines_out_total{kind="delta"}'), 0);
      assert.equal(moved('filmgrain_errors_total{code="invalid_json"}'), 1);
      assert.equal(moved('filmgrain_feeder_matched_total'), 3);
      assert.equal(moved('filmgrain_feeder_unmatched_total'), 2);

      c.close();
      await c.closed;
      for (let i = 0; i < 100 && ep.endpoint.connectionCount > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      const after = parse((await get(admin.port, '/metrics')).body);
      assert.equal(after.get('filmgrain_connections'), 0);
      assert.equal(after.get('filmgrain_feeds'), 0);

      assert.deepEqual(await get(admin.port, '/healthz'), { status: 200, body: 'ok\n' });
      assert.equal((await get(admin.port, '/readyz')).status, 200);
      status = 'down';
      const notReady = await get(admin.port, '/readyz');
      assert.equal(notReady.status, 503);
      assert.deepEqual(JSON.parse(notReady.body), { ready: false, reasons: ['engine down'] });
      assert.equal(
        parse((await get(admin.port, '/metrics')).body).get('filmgrain_engine_up{kind="memory"}'),
        0,
      );
      assert.equal((await get(admin.port, '/nope')).status, 404);
      const post405 = await fetch(`http://127.0.0.1:${admin.port}/metrics`, { method: 'POST' });
      assert.equal(post405.status, 405);
    } finally {
      await admin.close();
      await ep.close();
    }
  });

  test('every family has HELP and TYPE, and every sample a numeric value', async () => {
    const ep = await startEndpoint();
    const admin = await startAdmin({ endpoint: ep.endpoint }, { host: '127.0.0.1', port: 0 });
    try {
      const { body } = await get(admin.port, '/metrics');
      const typed = new Set<string>();
      for (const line of body.trimEnd().split('\n')) {
        const m = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
        if (m) typed.add(m[1]!);
        if (line.startsWith('#')) continue;
        const name = line.split(/[{ ]/)[0]!;
        assert.ok(typed.has(name), `${name} has no # TYPE`);
        assert.match(line, / -?[0-9.e+-]+$/);
        if (name.endsWith('_total')) assert.ok(typed.has(name));
      }
    } finally {
      await admin.close();
      await ep.close();
    }
  });
});

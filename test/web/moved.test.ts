/**
 * The web app when its endpoint drains (issue 13 item 3: "moved to another endpoint"):
 * `filmgrain start` (feeder, directory and the page; no WebSocket of its own) and two
 * `filmgrain endpoint` processes offering WebSocket, all on one redis-server. The page
 * connects to one of the two; that one gets SIGTERM and drains, sending its clients
 * `reconnect` to the other. The page says it is moving, then that it is live again and
 * moved, and its open feed goes on with no post twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, launchChromium } from '../../harness/browser.js';
import { type CliProcess, killAll, startCli } from '../../harness/process.js';
import { RedisServer } from '../../harness/redis-servers.js';
import { type El, SKIP, until } from './fixture.js';

describe('the web app when its endpoint drains', { skip: SKIP }, () => {
  let redis: RedisServer;
  let browser: Browser;
  let site: string;
  const endpoints: { proc: CliProcess; ws: string }[] = [];

  before(async () => {
    redis = await RedisServer.start();
    const start = startCli([
      'start',
      '--port',
      '0',
      '--no-websocket',
      '--redis',
      redis.url,
      '--deployment',
      'moved',
      '--data-dir',
      mkdtempSync(join(tmpdir(), 'filmgrain-moved-')),
      '--rate',
      '15',
    ]);
    site = (await start.waitFor(/web app\s+(http:\/\/\S+)/))[1]!;
    const origin = new URL(site).origin;
    for (let i = 0; i < 2; i++) {
      const proc = startCli([
        'endpoint',
        '--redis',
        redis.url,
        '--deployment',
        'moved',
        '--port',
        '0',
        '--plain',
        '--ws-port',
        '0',
        '--ws-plain',
        '--ws-origin',
        origin,
        '--drain-window',
        '2000',
      ]);
      const ws = (await proc.waitFor(/WebSocket on (ws:\/\/\S+)/))[1]!;
      endpoints.push({ proc, ws });
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await killAll();
    await redis?.destroy();
  });

  it('says it is moving, then live again and moved; the open feed goes on with no post twice', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    // Every state the status shows, in order (a move can be quick).
    // (A script string: it runs in the page, where this file's Node types do not apply.)
    await page.addInitScript({
      content: `
        window.statesSeen = [];
        new MutationObserver(() => {
          const s = document.getElementById('status')?.dataset.state;
          if (s !== undefined && window.statesSeen.at(-1) !== s) window.statesSeen.push(s);
        }).observe(document, { attributes: true, subtree: true });
      `,
    });
    await page.goto(site);
    await page.waitForSelector('#status[data-state="connected"]', { timeout: 20_000 });
    await until('a ranking with counts', 20_000, async () =>
      (await page.locator('#movies .movie').count()) > 3 ? true : undefined,
    );
    await page.locator('#movies .movie-button').first().click();
    await until('posts', 15_000, async () => (await page.locator('#posts .post-item').count()) > 0);

    // Which endpoint the page is on: the status names it (its tooltip).
    const title = (await page.locator('#status').getAttribute('title')) ?? '';
    const on = endpoints.find((e) => title.includes(`:${new URL(e.ws).port}`));
    assert.ok(on !== undefined, `the page is on one of the two endpoints: ${title}`);
    const before = await page.locator('#posts .post-item').count();
    await on.proc.kill('SIGTERM');

    await page.waitForSelector(
      '#status[data-state="connected"] #status-detail:has-text("moved to")',
      {
        timeout: 30_000,
      },
    );
    const states = await page.evaluate(() => (globalThis as { statesSeen?: string[] }).statesSeen);
    assert.ok(states?.includes('moving'), `states: ${states?.join(' → ')}`);
    const other = endpoints.find((e) => e !== on)!;
    assert.match(
      (await page.locator('#status').getAttribute('title')) ?? '',
      new RegExp(`:${new URL(other.ws).port}`),
    );
    await until('posts after the move', 30_000, async () =>
      (await page.locator('#posts .post-item').count()) >= before + 2 ? true : undefined,
    );
    const ids = await page.$$eval('#posts [data-post-id]', (els) =>
      els.map((e) => (e as unknown as El).dataset.postId!),
    );
    assert.equal(new Set(ids).size, ids.length, 'no post twice');
    await page.close();
  });
});

/**
 * Issue 13 item 4: the web app in a real browser (Debian's Chromium through
 * playwright-core), against a real `filmgrain start` (test/web/fixture.ts), as a new
 * user meets it: open the printed URL, watch the ranking move, use only the keyboard,
 * use a phone. Screenshots (360×740 and 1280×800, light and dark) go to
 * test-output/screenshots/ (gitignored) for a person to look at. The restart of the
 * endpoint is restart.test.ts; a drain ("moved to another endpoint") is moved.test.ts.
 *
 * Also a client that is not ours: Chromium's own WebSocket runs the seed's session
 * against the endpoint (connect → set_movies, start_feed → post_tweet, bad input), and
 * a page of another origin is refused (the `--ws-origin` check).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { counts, type El, postIds, SCREENSHOTS, SKIP, until, WebFixture } from './fixture.js';

declare const document: {
  activeElement: El | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};

const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));

describe('the web app in Chromium against filmgrain start', { skip: SKIP }, () => {
  let web: WebFixture;
  before(async () => {
    web = await WebFixture.start();
  });
  after(() => web?.close());

  it('filmgrain start prints the web app URL next to the watch command and serves it', async () => {
    assert.equal(web.site, `http://127.0.0.1:${web.port + 1}/`);
    assert.match(
      web.server.stdout,
      /filmgrain watch[^\n]*\n[^\n]*web app[^\n]*\n\s+http:\/\/127\.0\.0\.1:\d+\//,
    );
    const res = await fetch(web.site);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });

  it('loads, shows the ranking and the ranking updates', async () => {
    const page = await web.newPage(1280, 800);
    await web.openSite(page);
    const first = await counts(page);
    assert.ok(first.length <= 50, 'the page asks for the top 50');
    const ranks = await page.$$eval('#movies .movie', (els) =>
      els.map((e) => Number((e as unknown as El).dataset.rank)),
    );
    assert.deepEqual(
      ranks,
      ranks.map((_, i) => i + 1),
      'rows in rank order',
    );
    // Counts move: some row's count changes within a few pushes.
    await until('a ranking update on the page', 20_000, async () => {
      const now = await counts(page);
      return now.join() !== first.join();
    });
    assert.equal(await page.locator('#status').getAttribute('data-state'), 'connected');
    assert.match((await page.locator('#status-text').textContent()) ?? '', /Live/);
    await page.close();
  });

  it('keyboard only: Tab reaches the ranking, arrows move, Enter opens a feed', async () => {
    const page = await web.newPage(1280, 800);
    await web.openSite(page);
    let focused = '';
    for (let i = 0; i < 8 && focused !== 'movie'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() =>
        document.activeElement?.classList.contains('movie-button') ? 'movie' : '',
      );
    }
    assert.equal(focused, 'movie', 'a few Tabs reach the first movie');
    const firstId = await page.evaluate(
      () => document.activeElement?.closest('.movie')?.dataset.movieId,
    );
    await page.keyboard.press('ArrowDown');
    const secondId = await page.evaluate(
      () => document.activeElement?.closest('.movie')?.dataset.movieId,
    );
    assert.notEqual(secondId, firstId, 'ArrowDown moves to the next movie');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#feed[data-movie-id="${secondId}"]`);
    await until('its posts', 15_000, async () => (await postIds(page)).length > 0);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-1280x800-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-1280x800-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    // One Tab stop for the whole list: Tab leaves it.
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.classList.contains('movie-button')),
      false,
    );
    await page.close();
  });

  it('a phone (360 px): no horizontal scroll; the feed takes the screen and Back returns', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await web.newPage(360, 740, scheme);
      await web.openSite(page);
      let w = await noHorizontalScroll(page);
      assert.ok(w.scroll <= w.client, `ranking: scrollWidth ${w.scroll} > ${w.client}`);
      await page.screenshot({ path: join(SCREENSHOTS, `phone-360x740-${scheme}-ranking.png`) });
      const button = page.locator('#movies .movie-button').first();
      await button.focus();
      await page.keyboard.press('Enter');
      await until('posts', 15_000, async () => (await postIds(page)).length > 0);
      assert.equal(await page.locator('#ranking').isVisible(), false, 'the feed replaces it');
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        'feed-title',
        'focus moves to the feed',
      );
      await page.waitForTimeout(1500);
      w = await noHorizontalScroll(page);
      assert.ok(w.scroll <= w.client, `feed: scrollWidth ${w.scroll} > ${w.client}`);
      await page.screenshot({ path: join(SCREENSHOTS, `phone-360x740-${scheme}-feed.png`) });
      await page.locator('#back').click();
      await page.waitForSelector('#ranking', { state: 'visible' });
      assert.equal(
        await page.evaluate(() => document.activeElement?.classList.contains('movie-button')),
        true,
        'focus returns to the movie',
      );
      await page.close();
    }
  });

  it("Chromium's own WebSocket runs the seed's session; another origin is refused", async () => {
    const page = await web.newPage(800, 600);
    await page.goto(web.site);
    const ws = await until('the endpoint in endpoints.json', 10_000, async () => {
      const list = (await (await fetch(`${web.site}endpoints.json`)).json()) as {
        endpoints: { websocket?: string }[];
      };
      return list.endpoints[0]?.websocket;
    });
    const session = await page.evaluate(async (url) => {
      const socket = new WebSocket(url);
      const inbox: { action: string; params: Record<string, unknown> }[] = [];
      const waiters: (() => void)[] = [];
      socket.onmessage = (ev) => {
        inbox.push(JSON.parse(String(ev.data)));
        for (const w of waiters.splice(0)) w();
      };
      const next = async (action: string, ms = 15_000) => {
        const deadline = Date.now() + ms;
        for (;;) {
          const i = inbox.findIndex((m) => m.action === action);
          if (i >= 0) return inbox.splice(i, 1)[0]!;
          if (Date.now() > deadline) throw new Error(`no ${action}`);
          await new Promise<void>((r) => {
            waiters.push(r);
            setTimeout(r, 200);
          });
        }
      };
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = () => reject(new Error('WebSocket failed'));
      });
      socket.send(JSON.stringify({ action: 'connect', params: { version: 1 } }));
      const movies = (await next('set_movies')).params.movies as { id: number; count: number }[];
      const top = movies.find((m) => m.count > 0) ?? movies[0]!;
      socket.send(JSON.stringify({ action: 'start_feed', params: { movie_id: top.id } }));
      const post = await next('post_tweet');
      socket.send('not json');
      const bad = await next('error');
      socket.send(JSON.stringify({ action: 'ping', params: { ts: 7 } }));
      const pong = await next('pong');
      socket.send(JSON.stringify({ action: 'stop_feed', params: { movie_id: top.id } }));
      socket.close(1000);
      return {
        movies: movies.length,
        postMovie: post.params.movie_id,
        top: top.id,
        bad: bad.params,
        pong: pong.params.ts,
      };
    }, ws);
    assert.ok(session.movies > 10);
    assert.equal(session.postMovie, session.top);
    assert.equal(session.bad.code, 'invalid_json');
    assert.equal(session.bad.fatal, false);
    assert.equal(session.pong, 7);

    // A page of another origin (here: a data: URL, whose Origin is "null") is refused.
    const other = await web.newPage(800, 600);
    await other.goto('data:text/html,<title>elsewhere</title>');
    const refused = await other.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const s = new WebSocket(url);
          s.onopen = () => resolve('open');
          s.onclose = (ev) => resolve(`closed ${ev.code}`);
        }),
      ws,
    );
    assert.notEqual(refused, 'open');
    await other.close();
    await page.close();
  });

  it('the pages asked for nothing but the deployment, and reported no error', () => {
    for (const url of web.requested) {
      const u = new URL(url);
      if (u.protocol === 'data:') continue;
      assert.equal(u.hostname, '127.0.0.1', `only the deployment: ${url}`);
    }
    const real = web.realErrors();
    assert.deepEqual(real, []);
  });
});

/**
 * Issue 13 item 4: the web app in a real browser (Debian's Chromium through
 * playwright-core), against a real `filmgrain start` on its own redis-server, so the
 * history outlives a restart of the process. Each step is what a person would do:
 * open the printed URL, watch the ranking move, open a movie, lose the server, get it
 * back, use only the keyboard, use a phone. Screenshots (360×740 and 1280×800, light and
 * dark) are written to test-output/screenshots/ (gitignored) for a person to look at.
 *
 * Also a client that is not ours: Chromium's own WebSocket runs the seed's session
 * against the endpoint (connect → set_movies, start_feed → post_tweet, bad input), and
 * a page of another origin is refused (the `--ws-origin` check).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type Browser, chromiumAvailable, launchChromium } from '../../harness/browser.js';
import { type CliProcess, killAll, ROOT, startCli } from '../../harness/process.js';
import { RedisServer } from '../../harness/redis-servers.js';
import { createClient, type Post } from '../../src/client/node.js';

export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');

/**
 * The few DOM names the functions passed to `page.evaluate` use (they run in the page;
 * this file compiles with Node's types, not the DOM's).
 */
interface El {
  id: string;
  dataset: Record<string, string | undefined>;
  classList: { contains(name: string): boolean };
  closest(selector: string): El | null;
}
declare const document: {
  activeElement: El | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};

/** Three consecutive free ports: the endpoint's, the directory's (+1), WebSocket (+2). */
async function freeTriple(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (let i = 0; i < 100; i++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    if ((await free(base)) && (await free(base + 1)) && (await free(base + 2))) return base;
  }
  throw new Error('no three consecutive free ports');
}

async function until<T>(what: string, ms: number, get: () => Promise<T | undefined | false>) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The post ids on the page, newest first (the order the feed shows). */
const postIds = (page: Page) =>
  page.$$eval('#posts [data-post-id]', (els) =>
    els.map((e) => (e as unknown as El).dataset.postId!),
  );

const counts = (page: Page) =>
  page.$$eval('#movies .movie', (els) =>
    els.map((e) => `${(e as unknown as El).dataset.movieId}:${(e as unknown as El).dataset.count}`),
  );

const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));

const skip = !chromiumAvailable() && process.env.CI !== 'true';

describe('the web app in Chromium against filmgrain start', {
  skip: skip && 'no /usr/bin/chromium (apt-get install chromium)',
}, () => {
  let redis: RedisServer;
  let browser: Browser;
  let server: CliProcess;
  let port: number;
  let site: string;
  let dataDir: string;
  /** Errors the pages reported (uncaught exceptions, console errors). */
  const pageErrors: string[] = [];
  /** Every URL a page asked for: all must be the deployment's own. */
  const requested = new Set<string>();

  const startServer = async () => {
    server = startCli([
      'start',
      '--port',
      String(port),
      '--redis',
      redis.url,
      '--deployment',
      'web',
      '--data-dir',
      dataDir,
      // A few posts a second: the followed film gets a live post every few seconds and
      // stays far below the feed's 200 shown and the history's 500.
      '--rate',
      '15',
      // Count-only ranking changes reach the page every second (default 10 s).
      '--ranking-batch-ms',
      '1000',
    ]);
    const m = await server.waitFor(/web app\s+(http:\/\/\S+)/);
    site = m[1]!;
  };

  const newPage = async (width: number, height: number, scheme: 'light' | 'dark' = 'light') => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ colorScheme: scheme });
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => requested.add(r.url()));
    return page;
  };

  /** Opens the page and waits for a ranking with counts in it. */
  const openSite = async (page: Page) => {
    await page.goto(site);
    await page.waitForSelector('#status[data-state="connected"]', { timeout: 20_000 });
    await until('a ranking with counts', 20_000, async () => {
      const c = await counts(page);
      return c.length >= 10 && c.some((x) => !x.endsWith(':0'));
    });
  };

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'filmgrain-web-'));
    redis = await RedisServer.start();
    port = await freeTriple();
    await startServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await killAll();
    await redis?.destroy();
  });

  it('filmgrain start prints the web app URL next to the watch command and serves it', async () => {
    assert.equal(site, `http://127.0.0.1:${port + 1}/`);
    assert.match(
      server.stdout,
      /filmgrain watch[^\n]*\n[^\n]*web app[^\n]*\n\s+http:\/\/127\.0\.0\.1:\d+\//,
    );
    const res = await fetch(site);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });

  it('loads, shows the ranking and the ranking updates', async () => {
    const page = await newPage(1280, 800);
    await openSite(page);
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

  it('clicking a movie shows its backlog, then live posts on top; restarting the endpoint loses and repeats none', async () => {
    const page = await newPage(1280, 800);
    await openSite(page);
    // A film being talked about, not the busiest: rank 3.
    const row = page.locator('#movies .movie').nth(2);
    const movieId = Number(await row.getAttribute('data-movie-id'));
    const title = await row.locator('.title').textContent();
    await row.locator('button').click();
    assert.equal(await page.locator('#feed-title').textContent(), title);
    assert.equal(new URL(page.url()).hash, `#/movie/${movieId}`);
    assert.equal(await row.locator('button').getAttribute('aria-pressed'), 'true');

    // The backlog arrives at once, every post marked as such.
    const backlog = await until('the backlog', 10_000, async () => {
      const ids = await postIds(page);
      return ids.length > 0 ? ids : undefined;
    });
    await page.waitForTimeout(600);
    const afterBacklog = await postIds(page);
    const card = page.locator('#posts .post-item').first();
    assert.ok(((await card.locator('.author').textContent()) ?? '').length > 0, 'an author');
    assert.ok(await card.locator('time[datetime]').count(), 'a time');
    assert.ok(await card.locator('.text').textContent(), 'a text');
    assert.ok(backlog.length >= 1);

    // Then a live post, on top.
    await until('a live post on top', 30_000, async () => {
      const top = page.locator('#posts .post-item').first();
      return (await top.getAttribute('data-live')) === 'true';
    });
    const beforeRestart = await postIds(page);
    assert.ok(!afterBacklog.includes(beforeRestart[0]!), 'the top post is new');

    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-1280x800-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-1280x800-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    // Stop the endpoint: the page says it is reconnecting, and when.
    await server.kill('SIGTERM');
    await page.waitForSelector('#status[data-state="reconnecting"]', { timeout: 15_000 });
    await until('a "reconnecting in N s" countdown', 15_000, async () =>
      /Reconnecting/.test((await page.locator('#status-text').textContent()) ?? ''),
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-1280x800-reconnecting.png') });

    // Start it again (same ports, same Redis): the page comes back by itself, resumes
    // the feed with `since`, and gets new posts.
    await startServer();
    await page.waitForSelector('#status[data-state="connected"]', { timeout: 45_000 });
    const reconnectedWith = (await postIds(page)).length;
    await until('new posts after the restart', 40_000, async () => {
      return (await postIds(page)).length >= reconnectedWith + 3;
    });
    const shown = await postIds(page);
    assert.equal(new Set(shown).size, shown.length, `no post twice: ${shown.join(' ')}`);
    for (const id of beforeRestart) assert.ok(shown.includes(id), `kept ${id}`);

    // No post lost: the history, read by another client from the page's oldest post on,
    // is exactly what the page shows (oldest first), up to the newest the page has.
    const arrival = [...shown].reverse();
    const reference = createClient({
      host: '127.0.0.1',
      port,
      ca: readFileSync(join(dataDir, 'dev-cert.pem')),
      protocolVersion: 2,
      rankingSize: 1,
    });
    const got: string[] = [];
    reference.on('post', (p: Post) => {
      if (p.movieId === movieId) got.push(p.postId);
    });
    try {
      await reference.connect();
      reference.follow(movieId, { since: arrival[0]! });
      await until('the history after the oldest shown post', 15_000, async () =>
        got.length >= arrival.length - 1 ? true : undefined,
      );
    } finally {
      await reference.close();
    }
    assert.deepEqual(got.slice(0, arrival.length - 1), arrival.slice(1), 'every post, in order');
    await page.close();
  });

  it('keyboard only: Tab reaches the ranking, arrows move, Enter opens a feed', async () => {
    const page = await newPage(1280, 800);
    await openSite(page);
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
      const page = await newPage(360, 740, scheme);
      await openSite(page);
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
    const page = await newPage(800, 600);
    await page.goto(site);
    const ws = await until('the endpoint in endpoints.json', 10_000, async () => {
      const list = (await (await fetch(`${site}endpoints.json`)).json()) as {
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
    const other = await newPage(800, 600);
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
    for (const url of requested) {
      const u = new URL(url);
      if (u.protocol === 'data:') continue;
      assert.equal(u.hostname, '127.0.0.1', `only the deployment: ${url}`);
    }
    // Connection refused while the endpoint was down is the browser's own console noise.
    const real = pageErrors.filter(
      (e) => !/ERR_CONNECTION_REFUSED|WebSocket connection to/.test(e),
    );
    assert.deepEqual(real, []);
  });
});

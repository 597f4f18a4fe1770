/**
 * What the web app's browser tests share: a real `filmgrain start` on its own
 * redis-server (so history outlives a restart of the process), on three consecutive
 * free ports (endpoint, directory and page = +1, WebSocket = +2, as a user gets them),
 * and a Chromium with a fresh profile whose pages' errors and requests are recorded.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type Browser, chromiumAvailable, launchChromium } from '../../harness/browser.js';
import { type CliProcess, killAll, ROOT, startCli } from '../../harness/process.js';
import { RedisServer } from '../../harness/redis-servers.js';

/** Test output (gitignored): screenshots for a person to look at. */
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');

/** Why the browser tests are skipped: no Chromium, outside CI (in CI a missing one fails). */
export const SKIP: string | false =
  !chromiumAvailable() && process.env.CI !== 'true'
    ? 'no /usr/bin/chromium (apt-get install chromium)'
    : false;

/**
 * The few DOM names the functions passed to `page.evaluate` use (they run in the page;
 * the tests compile with Node's types, not the DOM's).
 */
export interface El {
  id: string;
  dataset: Record<string, string | undefined>;
  classList: { contains(name: string): boolean };
  closest(selector: string): El | null;
}

export async function until<T>(
  what: string,
  ms: number,
  get: () => Promise<T | undefined | false>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The post ids on the page, newest first (the order the feed shows). */
export const postIds = (page: Page): Promise<string[]> =>
  page.$$eval('#posts [data-post-id]', (els) =>
    els.map((e) => (e as unknown as El).dataset.postId!),
  );

/** `movieId:count` of each ranking row, in order. */
export const counts = (page: Page): Promise<string[]> =>
  page.$$eval('#movies .movie', (els) =>
    els.map((e) => {
      const d = (e as unknown as El).dataset;
      return `${d.movieId}:${d.count}`;
    }),
  );

/** Three consecutive free ports. */
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

export class WebFixture {
  server!: CliProcess;
  site = '';
  /** Errors the pages reported (uncaught exceptions, console errors). */
  readonly pageErrors: string[] = [];
  /** Every URL a page asked for. */
  readonly requested = new Set<string>();

  private constructor(
    readonly redis: RedisServer,
    readonly browser: Browser,
    readonly port: number,
    readonly dataDir: string,
  ) {}

  static async start(): Promise<WebFixture> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const redis = await RedisServer.start();
    const f = new WebFixture(
      redis,
      await launchChromium(),
      await freeTriple(),
      mkdtempSync(join(tmpdir(), 'filmgrain-web-')),
    );
    await f.startServer();
    return f;
  }

  /** (Re)starts `filmgrain start` on the same ports, Redis and data folder. */
  async startServer(): Promise<void> {
    this.server = startCli([
      'start',
      '--port',
      String(this.port),
      '--redis',
      this.redis.url,
      '--deployment',
      'web',
      '--data-dir',
      this.dataDir,
      // A few posts a second: a film of the top 3 gets a live post every few seconds and
      // stays far below the feed's 200 shown and the history's 500. The seed keeps each
      // film's share of the stream across a restart.
      '--rate',
      '15',
      '--seed',
      '1313',
      // Count-only ranking changes reach the page every second (default 30 s).
      '--ranking-batch-ms',
      '1000',
    ]);
    this.site = (await this.server.waitFor(/web app\s+(http:\/\/\S+)/))[1]!;
  }

  async newPage(width: number, height: number, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const page = await this.browser.context.newPage();
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ colorScheme: scheme });
    page.on('pageerror', (e) => this.pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') this.pageErrors.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => this.requested.add(r.url()));
    return page;
  }

  /** Opens the page and waits for a ranking with counts in it. */
  async openSite(page: Page): Promise<void> {
    await page.goto(this.site);
    await page.waitForSelector('#status[data-state="connected"]', { timeout: 20_000 });
    await until('a ranking with counts', 20_000, async () => {
      const c = await counts(page);
      return c.length >= 10 && c.some((x) => !x.endsWith(':0'));
    });
  }

  /** Page errors, less the browser's own noise while the endpoint was down. */
  realErrors(): string[] {
    return this.pageErrors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket connection to/.test(e));
  }

  async close(): Promise<void> {
    await this.browser.close();
    await killAll();
    await this.redis.destroy();
  }
}

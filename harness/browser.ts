/**
 * A real Chromium for tests: Debian's `chromium` package (/usr/bin/chromium; .ci/run
 * installs it when missing), driven by playwright-core, which never downloads a browser
 * of its own. Every launch gets a fresh profile in a temporary folder, removed on close,
 * so no cache, cookie or service worker carries over between runs.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.FILMGRAIN_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless, and quiet on the network: no QUIC, no background fetches, no component or
 * sync updates (the machine reaches no internet; the page must not need it either).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'filmgrain-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

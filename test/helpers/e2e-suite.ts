import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchChromium } from './browser.ts';
import { DIST_DIR, startE2eServer } from './e2e-server.ts';

export const PHONE = { width: 360, height: 740 };

export type E2eServer = Awaited<ReturnType<typeof startE2eServer>>;

export interface E2eSuite {
  readonly server: E2eServer;
  readonly browser: Browser;
  /** A fresh phone-sized (360×740, zh-CN) browser context per test. */
  readonly context: BrowserContext;
  readonly page: Page;
}

/**
 * The real server serving the built PWA and Debian's Chromium for one spec
 * file, and a fresh phone-sized context and page for each test. Registers the
 * Vitest hooks; the fields are set by them, so read them inside tests.
 * `setup` runs once the server is up (demo data, fixture files).
 */
export function e2eSuite(opts: { serviceWorkers: 'allow' | 'block'; setup?: (server: E2eServer) => Promise<unknown>; contextOptions?: BrowserContextOptions }): E2eSuite {
  const s = {} as { -readonly [K in keyof E2eSuite]: E2eSuite[K] };
  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'sw.js'))) throw new Error('dist/ is missing: run `npm run build` before the e2e project');
    s.server = await startE2eServer();
    await opts.setup?.(s.server);
    s.browser = await launchChromium();
  });
  afterAll(async () => {
    await s.browser.close();
    await s.server.close();
  });
  beforeEach(async () => {
    s.context = await s.browser.newContext({ viewport: PHONE, locale: 'zh-CN', serviceWorkers: opts.serviceWorkers, ...opts.contextOptions });
    s.page = await s.context.newPage();
  });
  afterEach(async () => {
    await s.context.close();
  });
  return s;
}

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run where missing), or CHROMIUM_PATH. */
export const chromiumPath = (): string | null =>
  [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p)) ?? null;

export const SCREENSHOTS = resolve(__dirname, '../../.tmp/screenshots');

/** A headless Chromium on a fresh profile; close() also removes the profile. */
export const launchChromium = async (): Promise<{ browser: BrowserContext; close: () => Promise<void> }> => {
  const { chromium } = await import('playwright-core');
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no Chromium found');
  const profile = mkdtempSync(join(tmpdir(), 'salesline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    browser: context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};
export type { Browser };

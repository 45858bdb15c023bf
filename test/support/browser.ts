/**
 * Debian's chromium for the browser tests, driven by playwright-core (no downloaded browser): the
 * executable and flags, and a persistent-profile browser in a fresh temp directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type LaunchOptions } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** chromium.launch's options for Debian's chromium. */
export const chromiumLaunch: LaunchOptions = { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 120_000 };

type ContextOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>;

/** A browser on a profile of its own; close() closes it and deletes the profile. */
export async function launchChromium(options: ContextOptions): Promise<{ browser: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'callpipe-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { ...chromiumLaunch, ...options }).catch((err: unknown) => {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

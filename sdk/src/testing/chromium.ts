import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/**
 * Debian's Chromium, which the tests drive (DESIGN.md §12).
 *
 * @example
 * await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a quiet headless Chromium in containers and on CI.
 *
 * @example
 * await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--lang=fr'] });
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launches headless Chromium through playwright-core.
 *
 * @example
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * await page.goto(`${server.url}/`);
 * await browser.close();
 */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

/**
 * Resolves when Chromium starts, rejects with the reason otherwise: the probe for
 * `requireService` (core/src/testing/services.ts), so CI fails instead of skipping.
 *
 * @example
 * const browser = await requireService('Chromium at /usr/bin/chromium', probeChromium, { timeoutMs: 30_000 });
 * describe.skipIf(!browser.available)('the tracker in Chromium', () => { ... });
 */
export async function probeChromium(): Promise<void> {
  const browser = await launchChromium();
  await browser.close();
}

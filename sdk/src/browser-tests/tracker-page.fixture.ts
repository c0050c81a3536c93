import type { Browser, BrowserContext, Page } from 'playwright-core';
import { requireService } from '../../../core/src/testing/services.js';
import { ensureBrowserBundle } from '../testing/browser-bundle.js';
import { launchChromium, probeChromium } from '../testing/chromium.js';
import { startCollectorStub, type CollectorStub } from '../testing/collector-stub.js';

/** Probed once per test file: skipped with the reason locally, a failure on CI. */
export const chromiumService = () =>
  requireService('Chromium at /usr/bin/chromium', probeChromium, { timeoutMs: 30_000 });

/**
 * An HTML page loading the built tracker with a script tag, then running `script`.
 *
 * @example
 * collector.page('/', trackerPage(`uspa.load('wk', { host: location.origin }); uspa.page();`));
 */
export function trackerPage(script: string, body = '<h1>Test page</h1>'): string {
  return `<!doctype html><html><head><title>Test Page</title>
<script src="/sdk/uspa.js"></script></head>
<body>${body}<script>${script}</script></body></html>`;
}

/** A fresh browser context (no cookies, empty storage) and a collector serving the bundle. */
export interface Visit {
  collector: CollectorStub;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

let bundleDir: string | undefined;
let browser: Browser | undefined;

export async function openVisit(): Promise<Visit> {
  bundleDir ??= await ensureBrowserBundle();
  browser ??= await launchChromium();
  const collector = await startCollectorStub({ bundleDir });
  const context = await browser.newContext();
  const page = await context.newPage();
  return {
    collector,
    context,
    page,
    async close() {
      await context.close();
      await collector.close();
    },
  };
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

/** The tracker's localStorage keys and values on the current page. */
export function storedItems(page: Page): Promise<Record<string, string>> {
  return page.evaluate<Record<string, string>>('Object.fromEntries(Object.entries(localStorage))');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

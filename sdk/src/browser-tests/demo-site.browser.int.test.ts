import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SegmentMessage } from '../collect/segment-message.js';
import { chromiumService, closeBrowser, openVisit, type Visit } from './tracker-page.fixture.js';

const chromium = await chromiumService();
const SITE = new URL('../../../core/src/demo/site/', import.meta.url);
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

describe.skipIf(!chromium.available)('the demo site with the tracker in Chromium', () => {
  let visit: Visit;
  beforeEach(async () => {
    visit = await openVisit();
    for (const file of ['index.html', 'pricing.html', 'signup.html', 'site.css', 'demo.js']) {
      // The server puts the workspace's write key in place of the placeholder.
      const body = readFileSync(new URL(file, SITE), 'utf8').replaceAll('<<WRITE_KEY>>', 'wk_demo');
      visit.collector.page(`/${file}`, body, TYPES[file.split('.').pop() ?? '']);
    }
  }, 120_000);
  afterEach(() => visit.close());
  afterAll(() => closeBrowser());

  it('tracks page views, plan selection and sign-up', async () => {
    const { collector, page } = visit;
    await page.goto(`${collector.url}/index.html`);
    await page.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => page.locator('.consent').isHidden()).toBe(true);
    await expect
      .poll(() => page.locator('.visitor code').first().textContent())
      .toMatch(/^[0-9a-f-]{36}$/);

    await page.getByRole('link', { name: 'Pricing', exact: true }).click();
    await page.getByRole('link', { name: 'Choose Team' }).click();
    await page.waitForURL('**/signup.html?plan=team');
    expect(await page.locator('select[name="plan"]').inputValue()).toBe('team');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Name').fill('Ada');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toBe('Welcome, Ada!');

    const messages = await collector.waitFor((got) =>
      got.some((message) => message.event === 'Signed Up'),
    );
    expect(collector.batches.every((batch) => batch.body.writeKey === 'wk_demo')).toBe(true);
    const pathOf = (message: SegmentMessage) => (message.context.page as { path: string }).path;
    expect(
      messages.map((message) => message.event ?? `${message.type} ${pathOf(message)}`),
    ).toEqual([
      'page /index.html',
      'page /pricing.html',
      'Plan Selected',
      'page /signup.html',
      'identify /signup.html',
      'Signed Up',
    ]);
    expect(messages[2]?.properties).toEqual({ plan: 'team' });
    expect(messages[4]).toMatchObject({
      userId: 'ada@example.com',
      traits: { email: 'ada@example.com', name: 'Ada', plan: 'team' },
    });
    expect(new Set(messages.map((message) => message.anonymousId)).size).toBe(1);
    // personalize: true loads the realtime client on every page.
    expect(collector.paths).toContain('/sdk/uspa-realtime.js');
  });

  it('stops tracking when the visitor declines, on every page after', async () => {
    const { collector, context, page } = visit;
    await page.goto(`${collector.url}/index.html`);
    await page.getByRole('button', { name: "Don't track me" }).click();
    await page.getByRole('link', { name: 'Pricing', exact: true }).click();
    await expect.poll(() => page.locator('.visitor').textContent()).toMatch(/Tracking is off/);
    const before = { batches: collector.batches.length, paths: collector.paths.length };
    await page.getByRole('link', { name: 'Choose Free' }).click();
    await page.waitForURL('**/signup.html?plan=free');
    await page.getByRole('button', { name: 'Sign up' }).waitFor();

    expect(collector.batches.length).toBe(before.batches);
    expect(await context.cookies()).toEqual([]);
    // No realtime connection either: the realtime client is not even loaded.
    const later = collector.paths.slice(before.paths);
    expect(later.filter((path) => path.startsWith('/sdk/'))).toEqual(['/sdk/uspa.js']);
  });
});

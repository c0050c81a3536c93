import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chromiumService,
  closeBrowser,
  openVisit,
  storedItems,
  trackerPage,
  type Visit,
} from './tracker-page.fixture.js';

const chromium = await chromiumService();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.skipIf(!chromium.available)('the browser tracker in Chromium', () => {
  let visit: Visit;
  beforeEach(async () => {
    visit = await openVisit();
  }, 120_000);
  afterEach(() => visit.close());
  afterAll(() => closeBrowser());

  it('sends page, track and identify in one batch with the page context', async () => {
    const { collector, page } = visit;
    collector.page(
      '/pricing',
      trackerPage(`uspa.load('wk_test', { host: location.origin, flushAt: 3 });
        uspa.page('Pricing', { plan: 'pro' });
        uspa.track('Plan Selected', { plan: 'pro' });
        uspa.identify('user-42', { email: 'ada@example.com' });`),
    );
    await page.goto(`${collector.url}/pricing?utm_source=news`, {
      referer: 'https://news.example/',
    });

    const [pageView, tracked, identified] = await collector.waitFor((got) => got.length === 3);
    expect(collector.batches).toHaveLength(1);
    const [batch] = collector.batches;
    expect(batch?.body.writeKey).toBe('wk_test');
    // text/plain and fetch: a simple CORS request, no preflight.
    expect(batch?.contentType).toMatch(/^text\/plain/);
    expect(batch?.fetchMode).toBe('cors');

    const url = `${collector.url}/pricing?utm_source=news`;
    expect(pageView).toMatchObject({
      type: 'page',
      name: 'Pricing',
      properties: { plan: 'pro', url, path: '/pricing', title: 'Test Page' },
      context: {
        page: {
          url,
          path: '/pricing',
          search: '?utm_source=news',
          title: 'Test Page',
          referrer: 'https://news.example/',
        },
        library: { name: 'uspa.js', version: '0.1.0' },
      },
    });
    expect(pageView?.context.userAgent).toMatch(/Chrome/);
    expect(pageView?.anonymousId).toMatch(UUID);
    expect(pageView?.userId).toBeUndefined();
    expect(tracked).toMatchObject({
      type: 'track',
      event: 'Plan Selected',
      properties: { plan: 'pro' },
    });
    expect(identified).toMatchObject({
      type: 'identify',
      userId: 'user-42',
      anonymousId: pageView?.anonymousId,
      traits: { email: 'ada@example.com' },
    });
    expect(new Set([pageView, tracked, identified].map((message) => message?.messageId)).size).toBe(
      3,
    );
  });

  it('keeps the anonymous id in a first-party cookie across reloads', async () => {
    const { collector, context, page } = visit;
    collector.page(
      '/',
      trackerPage(`uspa.load('wk', { host: location.origin, flushAt: 1 }); uspa.page();`),
    );
    await page.goto(`${collector.url}/`);
    const [first] = await collector.waitFor((got) => got.length === 1);

    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({
      name: 'uspa_aid',
      value: first?.anonymousId,
      sameSite: 'Lax',
      path: '/',
    });
    const yearFromNow = Date.now() / 1000 + 365 * 24 * 3600;
    expect(Math.abs((cookie?.expires ?? 0) - yearFromNow)).toBeLessThan(120);

    // The cookie alone is enough: localStorage cleared before the reload.
    await page.evaluate('localStorage.clear()');
    await page.reload();
    const [, second] = await collector.waitFor((got) => got.length === 2);
    expect(second?.anonymousId).toBe(first?.anonymousId);
  });

  it('batches until flushIntervalMs when fewer than flushAt events wait', async () => {
    const { collector, page } = visit;
    collector.page(
      '/',
      trackerPage(`uspa.load('wk', { host: location.origin, flushAt: 50, flushIntervalMs: 400 });
        for (let i = 0; i < 5; i++) uspa.track('Clicked ' + i);`),
    );
    const started = Date.now();
    await page.goto(`${collector.url}/`);
    await collector.waitFor((got) => got.length === 5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(collector.batches.map((batch) => batch.body.batch.length)).toEqual([5]);
  });

  it('retries after a 503 with the same message ids, then forgets the delivered events', async () => {
    const { collector, page } = visit;
    collector.respondWith(503);
    collector.page(
      '/',
      trackerPage(
        `uspa.load('wk', { host: location.origin, flushAt: 1 }); uspa.track('Signed Up');`,
      ),
    );
    await page.goto(`${collector.url}/`);

    await collector.waitFor((got) => got.length === 1);
    expect(collector.batches.map((batch) => batch.status)).toEqual([503, 200]);
    const ids = collector.batches.map((batch) => batch.body.batch[0]?.messageId);
    expect(ids[0]).toBe(ids[1]);
    expect((await storedItems(page)).uspa_queue).toBeUndefined();
  });

  it('keeps undelivered events in localStorage and sends them after a reload', async () => {
    const { collector, context, page } = visit;
    // The browser refuses beacons here, so the events must survive the reload in storage.
    await context.addInitScript({ content: 'navigator.sendBeacon = () => false;' });
    collector.respondWith(503, 503);
    collector.page('/', trackerPage(`uspa.load('wk', { host: location.origin, flushAt: 1 });`));
    await page.goto(`${collector.url}/`);
    await page.evaluate(`uspa.track('Added To Cart')`);
    await expect.poll(() => collector.batches.length).toBe(1);
    const queued = JSON.parse((await storedItems(page)).uspa_queue ?? '[]') as {
      messageId: string;
    }[];
    expect(queued).toHaveLength(1);

    await page.reload();
    const [delivered] = await collector.waitFor((got) => got.length === 1);
    expect(delivered).toMatchObject({ event: 'Added To Cart', messageId: queued[0]?.messageId });
  });

  it('sends waiting events with sendBeacon when the page is left', async () => {
    const { collector, page } = visit;
    collector.page(
      '/',
      trackerPage(
        `uspa.load('wk', { host: location.origin, flushAt: 50, flushIntervalMs: 60000 });`,
      ),
    );
    collector.page('/next', '<!doctype html><title>Next</title>');
    await page.goto(`${collector.url}/`);
    await page.evaluate(`uspa.track('Video Played'); uspa.track('Video Paused')`);
    await page.goto(`${collector.url}/next`);

    const delivered = await collector.waitFor((got) => got.length === 2);
    expect(delivered.map((message) => message.event)).toEqual(['Video Played', 'Video Paused']);
    expect(collector.batches).toHaveLength(1);
    expect(collector.batches[0]?.fetchMode).toBe('no-cors'); // a beacon, not fetch
    expect(collector.batches[0]?.contentType).toMatch(/^text\/plain/);
    expect((await storedItems(page)).uspa_queue).toBeUndefined();
  });
});

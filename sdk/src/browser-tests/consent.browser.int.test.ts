import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chromiumService,
  closeBrowser,
  openVisit,
  sleep,
  storedItems,
  trackerPage,
  type Visit,
} from './tracker-page.fixture.js';

const chromium = await chromiumService();

const REQUIRED = `uspa.load('wk', { host: location.origin, consent: 'required', flushAt: 1 });`;

describe.skipIf(!chromium.available)('the consent gate in Chromium', () => {
  let visit: Visit;
  beforeEach(async () => {
    visit = await openVisit();
  }, 120_000);
  afterEach(() => visit.close());
  afterAll(() => closeBrowser());

  it('sends and stores nothing before consent, then sends what waited once granted', async () => {
    const { collector, context, page } = visit;
    collector.page('/', trackerPage(`${REQUIRED} uspa.page('Home'); uspa.track('Scrolled');`));
    await page.goto(`${collector.url}/`);
    await sleep(600);

    expect(await page.evaluate<string>('uspa.consent()')).toBe('pending');
    expect(collector.batches).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    expect(await storedItems(page)).toEqual({});

    expect(await page.evaluate<string>('uspa.consent(true)')).toBe('granted');
    const [home, scrolled] = await collector.waitFor((got) => got.length === 2);
    expect([home?.name, scrolled?.event]).toEqual(['Home', 'Scrolled']);
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => [cookie.name, cookie.value])).toEqual([
      ['uspa_aid', home?.anonymousId],
    ]);

    // The grant is remembered: the next page of the site is tracked at once.
    await page.reload();
    const [, , again, scrolledAgain] = await collector.waitFor((got) => got.length === 4);
    expect(again).toMatchObject({ type: 'page', name: 'Home', anonymousId: home?.anonymousId });
    expect(scrolledAgain?.event).toBe('Scrolled');
  });

  it('drops what waited when consent is denied, and sends nothing afterwards', async () => {
    const { collector, context, page } = visit;
    collector.page('/', trackerPage(`${REQUIRED} uspa.track('Before Denial');`));
    await page.goto(`${collector.url}/`);
    expect(
      await page.evaluate<string>(`uspa.consent(false); uspa.track('After'); uspa.consent()`),
    ).toBe('denied');
    await sleep(600);

    expect(collector.batches).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    expect(await storedItems(page)).toEqual({});
  });

  it('erases the cookie and storage when consent is withdrawn', async () => {
    const { collector, context, page } = visit;
    collector.page(
      '/',
      trackerPage(
        `uspa.load('wk', { host: location.origin, flushAt: 1 }); uspa.identify('user-7');`,
      ),
    );
    await page.goto(`${collector.url}/`);
    await collector.waitFor((got) => got.length === 1);
    expect(Object.keys(await storedItems(page)).sort()).toEqual(['uspa_aid', 'uspa_uid']);

    await page.evaluate('uspa.consent(false)');
    expect(await context.cookies()).toEqual([]);
    expect(await storedItems(page)).toEqual({});
  });
});

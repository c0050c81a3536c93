import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chromiumService,
  closeBrowser,
  openVisit,
  trackerPage,
  type Visit,
} from './tracker-page.fixture.js';

const chromium = await chromiumService();

/** The snippet from sdk/README.md, then the script loaded asynchronously. */
const SNIPPET = `<!doctype html><html><head><title>Snippet</title><script>
  window.uspa = window.uspa || [];
  ['load', 'page', 'track', 'identify', 'group', 'alias', 'reset', 'consent', 'on'].forEach(
    (m) => (uspa[m] = uspa[m] || ((...a) => uspa.push([m, ...a]))),
  );
  uspa.track('Before Load');
  uspa.load('wk', { host: location.origin, flushAt: 3 });
  uspa.identify('user-1', { plan: 'free' });
  uspa.push(['track', 'Pushed']);
</script><script async src="/sdk/uspa.js"></script></head><body></body></html>`;

describe.skipIf(!chromium.available)('loading the tracker in Chromium', () => {
  let visit: Visit;
  beforeEach(async () => {
    visit = await openVisit();
  }, 120_000);
  afterEach(() => visit.close());
  afterAll(() => closeBrowser());

  it('replays the calls the snippet queued before the script arrived', async () => {
    const { collector, page } = visit;
    collector.page('/', SNIPPET);
    await page.goto(`${collector.url}/`);

    const messages = await collector.waitFor((got) => got.length === 3);
    expect(messages.map((message) => message.event ?? message.type)).toEqual([
      'Before Load',
      'identify',
      'Pushed',
    ]);
    expect(messages[2]?.userId).toBe('user-1');
    expect(await page.evaluate<string>('uspa.user().userId')).toBe('user-1');
  });

  it('starts a new anonymous visitor on reset', async () => {
    const { collector, page } = visit;
    collector.page(
      '/',
      trackerPage(`uspa.load('wk', { host: location.origin, flushAt: 1 });
        uspa.identify('user-9'); uspa.reset(); uspa.track('After Sign Out');`),
    );
    await page.goto(`${collector.url}/`);

    const [identified, after] = await collector.waitFor((got) => got.length === 2);
    expect(after?.userId).toBeUndefined();
    expect(after?.anonymousId).not.toBe(identified?.anonymousId);
    expect(await page.evaluate<unknown>('uspa.user()')).toEqual({
      anonymousId: after?.anonymousId,
    });
  });

  it('does not load the realtime client on a page without slots, listeners or personalize', async () => {
    const { collector, page } = visit;
    collector.page(
      '/',
      trackerPage(`uspa.load('wk', { host: location.origin, flushAt: 1 }); uspa.page();`),
    );
    await page.goto(`${collector.url}/`);
    await collector.waitFor((got) => got.length === 1);
    expect(collector.paths.filter((path) => path.startsWith('/sdk/'))).toEqual(['/sdk/uspa.js']);
  });

  it('works as an ES module too, importing the realtime client when the page has slots', async () => {
    const { collector, page } = visit;
    collector.page(
      '/',
      `<!doctype html><title>ESM</title><div data-uspa-slot="hero">Hero</div>
      <script type="module">
        import { uspa } from '/sdk/uspa.esm.js';
        uspa.load('wk', { host: location.origin, flushAt: 1 });
        uspa.track('From Module');
      </script>`,
    );
    await page.goto(`${collector.url}/`);

    const [tracked] = await collector.waitFor((got) => got.length === 1);
    expect(tracked?.event).toBe('From Module');
    await expect.poll(() => collector.paths).toContain('/sdk/uspa-realtime.js');
  });
});

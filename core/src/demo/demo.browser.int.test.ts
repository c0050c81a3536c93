import { ensureBrowserBundle, launchChromium, probeChromium } from '@uspa/sdk/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService } from '../testing/services.js';
import { startTestServer, type TestServer } from '../testing/uspa-test-server.js';
import { DEMO_SEGMENT_ID } from './demo-seed.js';

const chromium = await requireService('Chromium at /usr/bin/chromium', probeChromium, {
  timeoutMs: 30_000,
});

const TRIAL_OFFER = 'Still deciding? Try Pro free for 30 days';

/**
 * The demo site end to end in real Chromium: the browser SDK collects, the profile projection
 * puts the visitor in the pricing segment, and the realtime gateway fills the hero slot of the
 * open page without a reload; with the projections on the server's event loop (the default) and
 * on a thread of their own.
 */
for (const [projections, thread] of [
  ['on the event loop', 'false'],
  ['on their own thread', 'true'],
] as const)
  describe.skipIf(!chromium.available)(
    `the demo site in Chromium, projections ${projections}`,
    () => {
      let uspa: TestServer;
      let browser: Browser;

      beforeAll(async () => {
        await ensureBrowserBundle();
        uspa = await startTestServer({ USPA_DEMO: 'true', USPA_PROJECTION_THREAD: thread });
        browser = await launchChromium();
      }, 120_000);

      afterAll(async () => {
        await browser?.close();
        await uspa?.stop();
      });

      async function visitor(): Promise<{ context: BrowserContext; page: Page }> {
        const context = await browser.newContext();
        return { context, page: await context.newPage() };
      }

      async function profile(identifier: string) {
        const response = await fetch(`${uspa.base}/v1/profiles/${encodeURIComponent(identifier)}`, {
          headers: { authorization: uspa.adminAuth },
        });
        return response.status === 200
          ? ((await response.json()) as Record<string, unknown>)
          : undefined;
      }

      it('fills the hero slot of the open pricing page within a second of the visit', async () => {
        const { context, page } = await visitor();
        await page.goto(`${uspa.base}/demo/`);
        const hero = page.locator('[data-uspa-slot="hero"]');
        await expect.poll(() => hero.textContent()).toContain('Plan projects your team');

        const pageViewed = page.waitForResponse((r) => r.url().endsWith('/v1/batch') && r.ok());
        await page.goto(`${uspa.base}/demo/pricing.html`);
        await pageViewed;
        const accepted = Date.now();
        await hero.getByText(TRIAL_OFFER).waitFor({ timeout: 1_000 });
        const filledAfterMs = Date.now() - accepted;
        expect(filledAfterMs).toBeLessThan(1_000);
        expect(await hero.locator('a').getAttribute('href')).toBe(`${uspa.base}/demo/signup.html`);

        const anonymousId = await page.evaluate(
          () =>
            (globalThis as unknown as { uspa: { user(): { anonymousId: string } } }).uspa.user()
              .anonymousId,
        );
        expect((await profile(`anonymous_id:${anonymousId}`))?.segments).toEqual([DEMO_SEGMENT_ID]);
        await context.close();
      });

      it('links the anonymous visitor to the user on identify', async () => {
        const { context, page } = await visitor();
        await page.goto(`${uspa.base}/demo/signup.html`);
        const anonymousId = await page.evaluate(
          () =>
            (globalThis as unknown as { uspa: { user(): { anonymousId: string } } }).uspa.user()
              .anonymousId,
        );
        await page.evaluate(() =>
          (
            globalThis as unknown as { uspa: { identify(id: string, traits: object): void } }
          ).uspa.identify('grace@example.com', { email: 'grace@example.com', plan: 'team' }),
        );
        await expect
          .poll(async () => (await profile('user_id:grace@example.com'))?.identifiers, {
            timeout: 5_000,
          })
          .toContain(`anonymous_id:${anonymousId}`);
        const byAnonymousId = await profile(`anonymous_id:${anonymousId}`);
        expect(byAnonymousId?.traits).toMatchObject({ email: 'grace@example.com', plan: 'team' });
        await context.close();
      });

      it('sends nothing and stores no cookie before consent, and collects once granted', async () => {
        const { context, page } = await visitor();
        // The visitor declined earlier: the pages tell the tracker before loading it.
        await context.addInitScript(() =>
          (
            globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }
          ).localStorage.setItem('demo_tracking_off', '1'),
        );
        const collected: string[] = [];
        page.on('request', (request) => {
          if (/\/v1\/|\/socket\.io\//.test(request.url())) collected.push(request.url());
        });
        await page.goto(`${uspa.base}/demo/pricing.html`);
        await page.locator('[data-track]').first().dispatchEvent('click');
        await page.waitForTimeout(600);
        expect(collected).toEqual([]);
        expect(await context.cookies()).toEqual([]);

        const sent = page.waitForRequest((request) => request.url().endsWith('/v1/batch'));
        await page.evaluate(() => {
          const uspa = (
            globalThis as unknown as {
              uspa: { consent(granted: boolean): void; track(event: string): void };
            }
          ).uspa;
          uspa.consent(true);
          uspa.track('Consent Given');
        });
        expect((await sent).postData()).toContain('Consent Given');
        await expect
          .poll(async () => (await context.cookies()).map((c) => c.name))
          .toContain('uspa_aid');
        await context.close();
      });
    },
  );

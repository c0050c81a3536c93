import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromium, probeChromium } from '@uspa/sdk/testing';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuild } from '../testing/console-build.js';
import { eventually } from '../testing/eventually.js';
import { requireService } from '../testing/services.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../testing/uspa-test-server.js';

const chromium = await requireService('Chromium at /usr/bin/chromium', probeChromium, {
  timeoutMs: 30_000,
});

const WEBHOOK_SECRET = 'whsec_console_e2e_5c1f9a7d';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

interface ProfileSearchPage {
  total: number;
  hits: { id: string; document: { counters?: { total: number } } }[];
}

/**
 * The operations console end to end in real Chromium, against a real server serving the console
 * built from the current sources: signing in, the live events feed, a profile's 360 view,
 * a segment built with the condition builder, and a plugin installed from the marketplace.
 */
describe.skipIf(!chromium.available)('the console in Chromium', () => {
  let uspa: TestServer;
  let browser: Browser;
  let receiver: Server;
  let receiverUrl: string;
  const deliveries: Delivery[] = [];
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/uspa`;
    const [dist, launched] = await Promise.all([ensureConsoleBuild(), launchChromium()]);
    browser = launched;
    uspa = await startTestServer({ USPA_CONSOLE_DIST_DIR: dist });
  }, 120_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    // An uncaught error in the page is a broken screen somewhere, even when this flow passed.
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await uspa?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    // Well under the test's own timeout, so a missing element fails with its locator named.
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${uspa.base}/`);
    return { context, page };
  }

  /** Signs in the way an operator does: the key in the only field, then Enter. */
  async function signedIn(): Promise<Page> {
    const { page } = await freshPage();
    await page.getByLabel('Secret key').fill(TEST_ADMIN_KEY);
    await page.getByLabel('Secret key').press('Enter');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    return page;
  }

  /** A collection call with the write key, as a site's backend makes it. */
  async function post(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${uspa.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: uspa.writeAuth },
      body: JSON.stringify(body),
    });
    expect(response.status, `POST ${path}`).toBe(200);
  }

  async function adminGet<T>(path: string): Promise<{ status: number; body: T }> {
    const response = await fetch(`${uspa.base}${path}`, {
      headers: { authorization: uspa.adminAuth },
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  const menu = (page: Page, section: string) =>
    page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: section }).click();

  /** The rows of a name/value table, as `{ name: value }`. */
  async function keyValues(table: Locator): Promise<Record<string, string>> {
    const entries: Record<string, string> = {};
    for (const row of await table.locator('tbody').getByRole('row').all()) {
      const name = await row.getByRole('rowheader').innerText();
      entries[name] = await row.getByRole('cell').first().innerText();
    }
    return entries;
  }

  it('keeps a wrong key out: the error shows, no cookie is set, no page opens', async () => {
    const { context, page } = await freshPage();
    await page.getByLabel('Secret key').fill('uspa_sk_not_a_key_of_this_server_0000');
    await page.getByLabel('Secret key').press('Enter');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toBe(
      'Sign in with an active secret key holding the console or admin scope',
    );
    expect(await context.cookies()).toEqual([]);

    // A fresh load of a console page asks the server about the session again.
    const profiles = await context.newPage();
    await profiles.goto(`${uspa.base}/#/profiles`);
    await profiles.getByRole('heading', { name: 'Sign in to the USPA console' }).waitFor();
    expect(await profiles.getByRole('navigation', { name: 'Console' }).count()).toBe(0);
    expect(await profiles.getByRole('heading', { name: 'Profiles' }).count()).toBe(0);
    const status = await profiles.evaluate(async () => {
      const response = await fetch('/v1/profiles', {
        headers: { 'x-requested-with': 'uspa-console' },
      });
      return response.status;
    });
    expect(status).toBe(401);
  });

  it('signs in with the admin key and shows a tracked event in Live events within 2 s', async () => {
    const page = await signedIn();
    await menu(page, 'Live events');
    await page.getByRole('heading', { name: 'Live events', level: 1 }).waitFor();
    await page
      .getByRole('group', { name: 'Stream controls' })
      .getByRole('status')
      .filter({ hasText: 'Connected' })
      .waitFor();
    const { body } = await adminGet<{ keys: { id: string; type: string }[] }>('/v1/admin/keys');
    const writeKeyId = body.keys.find((key) => key.type === 'write')?.id;

    await post('/v1/track', { userId: 'live-viewer', event: 'Checkout Started' });
    const accepted = Date.now();
    const row = page.getByRole('row').filter({ hasText: 'Checkout Started' });
    await row.waitFor({ timeout: 5_000 });
    const shownAfterMs = Date.now() - accepted;

    expect(shownAfterMs).toBeLessThan(2_000);
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells.slice(1, 3)).toEqual(['Tracked', 'Checkout Started']);
    expect(cells[4]).toBe(writeKeyId);
  });

  it('finds a profile by name and shows its traits and timeline', async () => {
    const userId = 'learner-7731';
    await post('/v1/identify', {
      userId,
      traits: {
        name: 'Ada Quillfeather',
        email: 'ada.quillfeather@example.org',
        company: 'Inkwell',
      },
    });
    await post('/v1/track', { userId, event: 'Course Started' });
    await post('/v1/track', { userId, event: 'Lesson Completed' });
    const found = await eventually(
      async () => (await adminGet<ProfileSearchPage>('/v1/profiles?q=Quillfeather')).body,
      (page) => page.hits[0]?.document.counters?.total === 3,
    );
    expect(found.total).toBe(1);

    const page = await signedIn();
    await menu(page, 'Profiles');
    await page.getByLabel('Search profiles').fill('Quillfeather');
    await page.getByLabel('Search profiles').press('Enter');
    await page.getByRole('status').filter({ hasText: '1 profile match “Quillfeather”' }).waitFor();
    await page.getByRole('link', { name: 'Ada Quillfeather' }).click();

    await page.getByRole('heading', { name: 'Ada Quillfeather', level: 1 }).waitFor();
    expect(await keyValues(page.getByRole('table', { name: 'Traits', exact: true }))).toEqual({
      company: 'Inkwell',
      email: 'ada.quillfeather@example.org',
      name: 'Ada Quillfeather',
    });
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText("The beginning of this profile's history.").waitFor();
    const entries = await timeline.getByRole('listitem').allInnerTexts();
    // Newest first: the two track calls by name, then the identify by its user id.
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatch(/Tracked\s+Lesson Completed$/);
    expect(entries[1]).toMatch(/Tracked\s+Course Started$/);
    expect(entries[2]).toMatch(new RegExp(`Identified\\s+${userId}$`));
  });

  it('builds a segment with the builder, previews its count and lists it once saved', async () => {
    const customers = [
      { userId: 'plan-pro-1', plan: 'pro' },
      { userId: 'plan-pro-2', plan: 'pro' },
      { userId: 'plan-free-1', plan: 'free' },
    ];
    for (const { userId, plan } of customers) {
      await post('/v1/identify', { userId, traits: { plan } });
    }
    for (const { userId, plan } of customers) {
      const profile = await eventually(
        () => adminGet<{ traits?: { plan?: string } }>(`/v1/profiles/user_id:${userId}`),
        ({ body }) => body.traits?.plan === plan,
      );
      expect(profile.body.traits?.plan).toBe(plan);
    }

    const page = await signedIn();
    await menu(page, 'Segments');
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByRole('heading', { name: 'New segment', level: 1 }).waitFor();
    await page.getByLabel('Name').fill('Pro customers');
    const who = page.getByRole('group', { name: 'Who belongs' });
    await who.getByRole('button', { name: 'Add property' }).click();
    await who.getByLabel('Field').selectOption({ label: 'Plan' });
    await who.getByLabel('Operator').selectOption({ label: 'is' });
    await who.getByLabel('Value').fill('pro');

    const preview = page.getByRole('region', { name: 'Preview' }).getByRole('status');
    // The count is asked for once typing pauses (400 ms), then answered by the server.
    await expect
      .poll(() => preview.innerText(), { timeout: 5_000 })
      .toMatch(/^2 profiles match now\b/);

    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.getByRole('heading', { name: 'Pro customers', level: 1 }).waitFor();
    await page.getByRole('link', { name: '← All segments' }).click();
    const listed = page
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: 'Pro customers' }) });
    await listed.waitFor();
    // Members are counted by the segment projection; a reload shows the count once it has run.
    const members = await eventually(
      async () => {
        const shown = await listed.getByRole('cell').first().innerText();
        if (shown !== '2') await page.reload();
        return shown;
      },
      (shown) => shown === '2',
    );
    expect(members).toBe('2');
  });

  it('installs the webhook from the marketplace, configures it in its form and enables it', async () => {
    const page = await signedIn();
    await menu(page, 'Plugins');
    await page.getByRole('button', { name: 'Install webhook' }).click();
    await page.getByRole('link', { name: 'configure and enable it' }).click();
    await page.getByRole('heading', { name: 'webhook', level: 1 }).waitFor();

    const configuration = page.getByRole('region', { name: 'Configuration' });
    await configuration.getByRole('textbox', { name: 'url', exact: true }).fill(receiverUrl);
    await configuration.getByRole('textbox', { name: 'secret', exact: true }).fill(WEBHOOK_SECRET);
    await configuration.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByText('Configuration saved.').waitFor();
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByText('Enabled.').waitFor();
    await page.getByText('Running', { exact: true }).waitFor();

    const { status, body } = await adminGet<{
      status: string;
      config: { url?: string; secret?: string };
    }>('/v1/admin/plugins/webhook');
    expect(status).toBe(200);
    expect(body.status).toBe('running');
    expect(body.config.url).toBe(receiverUrl);
    expect(body.config.secret).toBe('••••••••');

    await post('/v1/track', { userId: 'webhook-buyer', event: 'Plan Upgraded' });
    const delivery = await eventually(
      async () => deliveries.find((d) => d.body.includes('Plan Upgraded')),
      (found) => found !== undefined,
    );
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
      type: 'Tracked',
      data: { event: 'Plan Upgraded' },
    });
    // Signed with the secret typed into the form: the receiver can trust the delivery.
    const timestamp = String(delivery?.headers['x-uspa-timestamp']);
    const signature = createHmac('sha256', WEBHOOK_SECRET)
      .update(`${timestamp}.${delivery?.body}`)
      .digest('hex');
    expect(delivery?.headers['x-uspa-signature']).toBe(`sha256=${signature}`);
  });
});

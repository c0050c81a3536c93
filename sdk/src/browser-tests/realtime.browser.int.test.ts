import { Server, type Socket } from 'socket.io';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PERSONALIZE_NAMESPACE,
  type PersonalizationChange,
  type PersonalizationSnapshot,
  type PersonalizeAuth,
} from '../realtime/personalize-protocol.js';
import {
  chromiumService,
  closeBrowser,
  openVisit,
  trackerPage,
  type Visit,
} from './tracker-page.fixture.js';

const chromium = await chromiumService();

const BODY = `<div data-uspa-slot="hero"><h1>Default hero</h1></div>
<div data-uspa-slot="promo" data-uspa-template>Promo placeholder</div>`;
const SCRIPT = `window.seen = { segments: [], events: [] };
uspa.load('wk', { host: location.origin });
uspa.on('segments', (segments) => seen.segments.push(segments));
document.addEventListener('uspa:content', (event) => seen.events.push(event.detail));`;

const SNAPSHOT: PersonalizationSnapshot = {
  segments: ['returning'],
  content: {
    hero: {
      ruleId: 'rule-1',
      slot: 'hero',
      content: {
        title: 'Welcome back',
        body: 'Your picks',
        link: '/picks',
        image: 'javascript:alert(1)',
      },
    },
  },
};

describe.skipIf(!chromium.available)('realtime personalisation in Chromium', () => {
  let visit: Visit;
  let gateway: Server;
  let handshakes: PersonalizeAuth[];
  let pages: string[];
  let latest: Socket | undefined;

  beforeEach(async () => {
    visit = await openVisit();
    handshakes = [];
    pages = [];
    gateway = new Server(visit.collector.server);
    const personalize = gateway.of(PERSONALIZE_NAMESPACE);
    personalize.use((socket, next) => {
      const auth = socket.handshake.auth as PersonalizeAuth;
      handshakes.push(auth);
      next(auth.writeKey === 'wk' ? undefined : new Error('invalid_write_key'));
    });
    personalize.on('connection', (socket) => {
      latest = socket;
      socket.on('page', (change: { url: string }) => pages.push(change.url));
      socket.emit('snapshot', SNAPSHOT);
    });
  }, 120_000);
  afterEach(async () => {
    // Browser first: the HTTP server closes only once its (upgraded) connections are gone.
    gateway.disconnectSockets(true);
    await visit.close();
    await gateway.close();
  });
  afterAll(() => closeBrowser());

  const hero = () => visit.page.locator('[data-uspa-slot="hero"]');
  const change = (value: PersonalizationChange) => latest?.emit('changed', value);

  it('fills slots from the snapshot and the changes that follow', async () => {
    const { collector, page } = visit;
    collector.page('/', trackerPage(SCRIPT, BODY));
    await page.goto(`${collector.url}/`);

    await expect.poll(() => hero().locator('.uspa-title').textContent()).toBe('Welcome back');
    expect(await hero().locator('.uspa-body').textContent()).toBe('Your picks');
    expect(await hero().locator('a.uspa-link').getAttribute('href')).toBe(`${collector.url}/picks`);
    expect(await hero().locator('img').count()).toBe(0); // a javascript: URL is not rendered
    expect(await hero().getAttribute('data-uspa-rule')).toBe('rule-1');
    expect(await page.evaluate<unknown>('seen.segments')).toEqual([['returning']]);
    expect(handshakes[0]).toMatchObject({ writeKey: 'wk', url: `${collector.url}/` });

    change({
      content: {
        hero: {
          ruleId: 'rule-2',
          slot: 'hero',
          content: {
            html: '<b>Hi</b><img src="x" onerror="window.hacked=1"><script>window.hacked=2</script>',
          },
        },
        promo: { ruleId: 'rule-3', slot: 'promo', content: { title: 'Free shipping' } },
      },
    });
    await expect.poll(() => hero().locator('b').textContent()).toBe('Hi');
    expect(await hero().locator('img').getAttribute('onerror')).toBeNull();
    expect(await hero().locator('script').count()).toBe(0);
    expect(await page.evaluate<unknown>('window.hacked')).toBeUndefined();
    // data-uspa-template: the page renders it; the tracker only dispatches uspa:content.
    expect(await page.locator('[data-uspa-slot="promo"]').textContent()).toBe('Promo placeholder');
    expect(
      await page.evaluate<unknown>(
        'seen.events.map((e) => [e.slot, e.content && e.content.ruleId])',
      ),
    ).toEqual([
      ['hero', 'rule-1'],
      ['hero', 'rule-2'],
      ['promo', 'rule-3'],
    ]);

    change({ content: { hero: null } });
    await expect.poll(() => hero().locator('h1').textContent()).toBe('Default hero');
  });

  it('reconnects as the known user after identify with a hash, and anonymously after reset', async () => {
    const { collector, page } = visit;
    collector.page('/', trackerPage(SCRIPT, BODY));
    await page.goto(`${collector.url}/`);
    await expect.poll(() => handshakes.length).toBe(1);
    const anonymousId = handshakes[0]?.anonymousId;

    await page.evaluate(`uspa.identify('user-42', {}, { userHash: 'abc123' })`);
    await expect.poll(() => handshakes.length).toBe(2);
    expect(handshakes[1]).toMatchObject({ anonymousId, userId: 'user-42', userHash: 'abc123' });

    await page.evaluate('uspa.reset()');
    await expect.poll(() => handshakes.length).toBe(3);
    expect(handshakes[2]?.userId).toBeUndefined();
    expect(handshakes[2]?.anonymousId).not.toBe(anonymousId);
  });

  it('tells the gateway about single-page navigation and fills slots added later', async () => {
    const { collector, page } = visit;
    collector.page(
      '/',
      trackerPage(`uspa.load('wk', { host: location.origin, personalize: true });`),
    );
    await page.goto(`${collector.url}/`);
    await expect.poll(() => handshakes.length).toBe(1);
    await expect.poll(() => latest?.connected).toBe(true);

    await page.evaluate(`history.pushState({}, '', '/spa/next')`);
    await expect.poll(() => pages).toEqual([`${collector.url}/spa/next`]);

    await page.evaluate(
      `document.body.insertAdjacentHTML('beforeend', '<div data-uspa-slot="hero">x</div>')`,
    );
    await expect.poll(() => hero().locator('.uspa-title').textContent()).toBe('Welcome back');
  });
});

import { describe, expect, it } from 'vitest';
import { enrichedEvent, setUpPlugin } from '../testing/enrich.js';
import { aTrackingEvent } from '../testing/tracking-event.builder.js';
import { campaignPlugin } from './campaign.plugin.js';

const shop = 'https://shop.example';

async function campaignOf(context: Record<string, unknown>, config = {}) {
  const plugin = await setUpPlugin(campaignPlugin, config);
  const event = enrichedEvent(await plugin.enrich(aTrackingEvent().withContext(context).build()));
  return event.enrichment.campaign;
}

const landing = (search: string, referrer?: string) => ({
  page: { url: `${shop}/garden${search}`, ...(referrer ? { referrer } : {}) },
});

describe('campaign plugin', () => {
  describe('paid', () => {
    it.each(['cpc', 'ppc', 'CPC', 'paid_social', 'paidsearch', 'display', 'cpm'])(
      'when utm_medium is %s',
      async (medium) => {
        expect(await campaignOf(landing(`?utm_source=facebook&utm_medium=${medium}`))).toEqual({
          source: 'facebook',
          medium: medium.toLowerCase(),
          channel: 'paid',
        });
      },
    );

    it('when Google Ads auto-tagging added a gclid, with source and medium inferred', async () => {
      expect(await campaignOf(landing('?gclid=EAIaIQobChMI', 'https://www.google.com/'))).toEqual({
        source: 'google',
        medium: 'cpc',
        clickId: { param: 'gclid', value: 'EAIaIQobChMI' },
        channel: 'paid',
        referrerHost: 'www.google.com',
      });
    });

    it('when Microsoft Ads added a msclkid, keeping the tagged campaign name', async () => {
      expect(await campaignOf(landing('?msclkid=5e4f&utm_campaign=Spring%20Sale'))).toEqual({
        source: 'bing',
        medium: 'cpc',
        name: 'Spring Sale',
        clickId: { param: 'msclkid', value: '5e4f' },
        channel: 'paid',
      });
    });
  });

  describe('email', () => {
    it.each(['email', 'e-mail', 'newsletter'])('when utm_medium is %s', async (medium) => {
      const campaign = await campaignOf(landing(`?utm_source=mailchimp&utm_medium=${medium}`));
      expect(campaign).toMatchObject({ source: 'mailchimp', channel: 'email' });
    });

    it('when an untagged link was clicked in webmail', async () => {
      expect(await campaignOf(landing('', 'https://mail.google.com/'))).toEqual({
        source: 'gmail',
        medium: 'email',
        channel: 'email',
        referrerHost: 'mail.google.com',
      });
    });
  });

  it('affiliate when utm_medium is affiliate', async () => {
    const campaign = await campaignOf(landing('?utm_source=awin&utm_medium=affiliate'));
    expect(campaign).toMatchObject({ channel: 'affiliate' });
  });

  describe('social', () => {
    it('when utm_source is a social network, whatever the medium', async () => {
      expect(await campaignOf(landing('?utm_source=Instagram&utm_medium=story'))).toMatchObject({
        source: 'instagram',
        channel: 'social',
      });
      expect(await campaignOf(landing('?utm_source=ig'))).toMatchObject({ channel: 'social' });
    });

    it('when the referrer is a social network', async () => {
      expect(await campaignOf(landing('', 'https://l.facebook.com/l.php?u=x'))).toEqual({
        source: 'facebook',
        medium: 'social',
        channel: 'social',
        referrerHost: 'l.facebook.com',
      });
      expect(await campaignOf(landing('', 'https://t.co/abc123'))).toMatchObject({
        source: 'x',
        channel: 'social',
      });
    });

    it('for an fbclid alone: Facebook adds it to organic links too, so it is not paid', async () => {
      expect(await campaignOf(landing('?fbclid=IwAR2x'))).toEqual({
        source: 'facebook',
        clickId: { param: 'fbclid', value: 'IwAR2x' },
        channel: 'social',
      });
    });
  });

  describe('search', () => {
    it.each([
      ['https://www.google.com/', 'google'],
      ['https://www.google.co.uk/', 'google'],
      ['https://google.de/', 'google'],
      ['https://www.bing.com/search?q=tea+lights', 'bing'],
      ['https://duckduckgo.com/', 'duckduckgo'],
      ['https://uk.search.yahoo.com/', 'yahoo'],
      ['https://yandex.ru/', 'yandex'],
      ['https://www.baidu.com/', 'baidu'],
      ['https://www.ecosia.org/', 'ecosia'],
    ])('when the referrer is %s', async (referrer, engine) => {
      expect(await campaignOf(landing('', referrer))).toEqual({
        source: engine,
        medium: 'organic',
        channel: 'search',
        referrerHost: new URL(referrer).hostname,
      });
    });

    it('when tagged utm_medium=organic', async () => {
      expect(await campaignOf(landing('?utm_source=google&utm_medium=organic'))).toMatchObject({
        channel: 'search',
      });
    });
  });

  describe('referral', () => {
    it('when another site referred, with its host as the source', async () => {
      expect(await campaignOf(landing('', 'https://blog.gardening.example/best-pots'))).toEqual({
        source: 'blog.gardening.example',
        medium: 'referral',
        channel: 'referral',
        referrerHost: 'blog.gardening.example',
      });
    });

    it('for a Google property that is not search', async () => {
      expect(await campaignOf(landing('', 'https://docs.google.com/document/d/1'))).toMatchObject({
        channel: 'referral',
      });
    });
  });

  describe('direct', () => {
    it('without tags or referrer', async () => {
      expect(await campaignOf(landing(''))).toEqual({ channel: 'direct' });
    });

    it("when the referrer is the site's own host, with or without www", async () => {
      expect(await campaignOf(landing('', `${shop}/`))).toEqual({ channel: 'direct' });
      expect(await campaignOf(landing('', 'https://www.shop.example/cart'))).toEqual({
        channel: 'direct',
      });
    });

    it('when the referrer is a configured internal host or its subdomain', async () => {
      const config = { internalHosts: ['pay.example'] };
      expect(await campaignOf(landing('', 'https://checkout.pay.example/done'), config)).toEqual({
        channel: 'direct',
      });
      // Without the configuration the same visit is a referral.
      expect(await campaignOf(landing('', 'https://checkout.pay.example/done'))).toMatchObject({
        channel: 'referral',
      });
    });
  });

  it('other when tagged with a medium the rules do not know', async () => {
    expect(await campaignOf(landing('?utm_source=flyer&utm_medium=print'))).toEqual({
      source: 'flyer',
      medium: 'print',
      channel: 'other',
    });
  });

  it('classifies a tagged link by its tags, not by the referrer', async () => {
    const campaign = await campaignOf(
      landing('?utm_source=newsletter&utm_medium=email', 'https://www.google.com/'),
    );
    expect(campaign).toMatchObject({ source: 'newsletter', channel: 'email' });
  });

  it('reads Segment context.campaign before the URL, and context.referrer.url', async () => {
    expect(
      await campaignOf({
        campaign: {
          name: 'Xmas 2026',
          source: 'Newsletter',
          medium: 'Email',
          term: 'baubles',
          content: 'hero',
        },
        page: { url: `${shop}/?utm_source=other`, search: '?utm_source=other' },
        referrer: { type: 'link', url: 'https://news.example/x' },
      }),
    ).toEqual({
      source: 'newsletter',
      medium: 'email',
      name: 'Xmas 2026',
      term: 'baubles',
      content: 'hero',
      channel: 'email',
      referrerHost: 'news.example',
    });
  });

  it('reads the URL and referrer from a page call’s properties when context.page is missing', async () => {
    const plugin = await setUpPlugin(campaignPlugin);
    const event = aTrackingEvent('page')
      .withProperties({ url: `${shop}/?utm_source=pinterest`, referrer: 'https://pin.it/x' })
      .build();
    expect(enrichedEvent(await plugin.enrich(event)).enrichment.campaign).toEqual({
      source: 'pinterest',
      channel: 'social',
      referrerHost: 'pin.it',
    });
  });

  it('leaves a server-side call with no page, campaign or referrer as it was', async () => {
    const plugin = await setUpPlugin(campaignPlugin);
    const event = aTrackingEvent('track')
      .named('Order Completed')
      .withProperties({ url: `${shop}/p/1?utm_source=x` })
      .build();
    expect(await plugin.enrich(event)).toEqual(event);
  });

  it('ignores a malformed URL or referrer', async () => {
    expect(await campaignOf({ page: { url: 'not a url', referrer: '::' } })).toEqual({
      channel: 'direct',
    });
  });

  it('rejects internalHosts that are not a list of hosts', async () => {
    await expect(setUpPlugin(campaignPlugin, { internalHosts: 'shop.example' })).rejects.toThrow(
      /must be array/,
    );
  });

  describe('remembered attributions', () => {
    it('gives every event of a landing page the same frozen attribution, and others their own', async () => {
      const plugin = await setUpPlugin(campaignPlugin, { internalHosts: ['checkout.example'] });
      const visit = (search: string, referrer: string) =>
        plugin.enrich(aTrackingEvent().withContext(landing(search, referrer)).build());
      const first = enrichedEvent(
        await visit('?utm_source=news&utm_medium=email', 'https://mail.example/'),
      );
      const again = enrichedEvent(
        await visit('?utm_source=news&utm_medium=email', 'https://mail.example/'),
      );
      const other = enrichedEvent(await visit('', 'https://checkout.example/cart'));
      expect(again.enrichment.campaign).toEqual(first.enrichment.campaign);
      expect(first.enrichment.campaign).toMatchObject({ source: 'news', channel: 'email' });
      expect(Object.isFrozen(first.enrichment.campaign)).toBe(true);
      expect(other.enrichment.campaign).toMatchObject({ channel: 'direct' });
    });
  });
});

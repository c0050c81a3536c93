import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackingEvent } from '@uspa/sdk';
import { enrichedEvent, setUpPlugin, type PluginUnderTest } from './testing/enrich.js';
import { aTrackingEvent } from './testing/tracking-event.builder.js';
import { builtInPluginCatalog, builtInPlugins } from './index.js';

describe('builtInPlugins', () => {
  let plugins: PluginUnderTest<never>[];
  beforeAll(async () => {
    plugins = await Promise.all(builtInPlugins.map((plugin) => setUpPlugin(plugin)));
  });
  afterAll(async () => {
    await Promise.all(plugins.map((plugin) => plugin.teardown()));
  });

  it('run user-agent, geo, campaign, topics, in that order', () => {
    expect(builtInPlugins.map((plugin) => plugin.name)).toEqual([
      'user-agent',
      'geo',
      'campaign',
      'topics',
    ]);
  });

  it('are all in the catalog, in their order, followed by the webhook destination', () => {
    expect(builtInPluginCatalog.map((plugin) => plugin.name)).toEqual([
      'user-agent',
      'geo',
      'campaign',
      'topics',
      'webhook',
    ]);
  });

  it('enrich a browser page view end to end with their defaults', async () => {
    let event: TrackingEvent = aTrackingEvent('page')
      .withContext({
        ip: '81.2.69.160',
        userAgent:
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
        page: {
          url: 'https://shop.example/christmas/baubles?utm_source=newsletter&utm_medium=email',
          title: 'Christmas baubles',
          referrer: 'https://mail.google.com/',
        },
      })
      .build();
    for (const plugin of plugins) event = enrichedEvent(await plugin.enrich(event));
    expect(event.enrichment).toEqual({
      device: {
        browser: { name: 'Safari', version: '17.5' },
        os: { name: 'iOS', version: '17.5' },
        deviceType: 'mobile',
        isBot: false,
      },
      geo: {
        country: 'GB',
        countryName: 'United Kingdom',
        region: 'England',
        city: 'London',
        latitude: 51.5143,
        longitude: -0.0912,
      },
      campaign: {
        source: 'newsletter',
        medium: 'email',
        channel: 'email',
        referrerHost: 'mail.google.com',
      },
      topics: ['christmas'],
    });
    // What the host stores is JSON: nothing in the enrichment may be lost on the way.
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });
});

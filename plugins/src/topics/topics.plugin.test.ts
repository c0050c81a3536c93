import { describe, expect, it } from 'vitest';
import { enrichedEvent, setUpPlugin } from '../testing/enrich.js';
import { aTrackingEvent } from '../testing/tracking-event.builder.js';
import { compileTaxonomy } from './topic-matcher.js';
import { topicsPlugin } from './topics.plugin.js';

async function topicsOf(event = aTrackingEvent().build(), config = {}) {
  const plugin = await setUpPlugin(topicsPlugin, config);
  return enrichedEvent(await plugin.enrich(event)).enrichment.topics;
}

const pageAt = (page: Record<string, unknown>) =>
  aTrackingEvent('page').withContext({ page }).build();

describe('topics plugin', () => {
  it('finds topics in the URL path and title with the default retail taxonomy', async () => {
    const event = pageAt({
      url: 'https://shop.example/garden/watering-cans?utm_source=christmas',
      title: 'Zinc Watering Can | Shop',
    });
    // The query string is not read: `christmas` there is a campaign, not what the page is about.
    expect(await topicsOf(event)).toEqual(['garden']);
  });

  it('matches whole words only, in any case', async () => {
    expect(await topicsOf(pageAt({ title: 'PENCIL CASE' }))).toEqual(['stationery']);
    // `pen` must not match inside `pendant` or `penguin`, nor `toy` inside `toyota`.
    expect(await topicsOf(pageAt({ title: 'Penguin pendant Toyota' }))).toEqual(['jewellery']);
  });

  it('matches simple plurals and keywords of several words', async () => {
    expect(await topicsOf(pageAt({ title: 'SET OF 72 PINK HEART PAPER DOILIES' }))).toEqual([
      'kitchen',
    ]);
    expect(await topicsOf(pageAt({ title: 'WHITE HANGING HEART T-LIGHT HOLDER' }))).toEqual([
      'home-decor',
    ]);
    expect(await topicsOf(pageAt({ title: 'JUMBO BAGS, RED RETROSPOT' }))).toEqual(['bags']);
  });

  it('reads keywords from context.page and properties, as a string or a list', async () => {
    const event = aTrackingEvent('page')
      .withContext({ page: { keywords: ['advent calendar'] } })
      .withProperties({ keywords: 'party balloons' })
      .build();
    expect(await topicsOf(event)).toEqual(['christmas', 'party', 'stationery']);
  });

  it('reads product names and categories of a track call', async () => {
    const event = aTrackingEvent('track')
      .named('Order Completed')
      .withProperties({
        products: [
          { sku: '22423', name: 'REGENCY CAKESTAND 3 TIER', category: 'Kitchen' },
          { sku: '85099B', name: 'JUMBO BAG RED RETROSPOT' },
          { sku: '47566', name: 'PARTY BUNTING' },
        ],
      })
      .build();
    expect(await topicsOf(event)).toEqual(['bags', 'kitchen', 'party']);
  });

  it("reads a product event's name and category", async () => {
    const event = aTrackingEvent('track')
      .named('Product Viewed')
      .withProperties({ name: 'ASSORTED COLOUR BIRD ORNAMENT', category: 'Christmas' })
      .build();
    expect(await topicsOf(event)).toEqual(['christmas', 'home-decor']);
  });

  it('keeps the maxTopics with most hits, then sorts them by name', async () => {
    const taxonomy = { garden: ['garden'], kitchen: ['mug'], toys: ['toy'], party: ['party'] };
    const event = pageAt({ title: 'toy toy toy mug mug party garden garden garden garden' });
    expect(await topicsOf(event, { taxonomy, maxTopics: 2 })).toEqual(['garden', 'toys']);
    // A tie is broken by name, so the same input always yields the same topics.
    const tie = pageAt({ title: 'party garden toy mug' });
    expect(await topicsOf(tie, { taxonomy, maxTopics: 2 })).toEqual(['garden', 'kitchen']);
  });

  it('writes no topics key when nothing matches', async () => {
    const plugin = await setUpPlugin(topicsPlugin);
    const event = pageAt({ title: 'Terms and conditions', url: 'https://shop.example/terms' });
    expect(await plugin.enrich(event)).toEqual(event);
  });

  it('counts a page URL that context.page and properties both carry once', async () => {
    const taxonomy = { garden: ['garden'], toys: ['toy'] };
    const event = aTrackingEvent('page')
      .withContext({ page: { url: 'https://shop.example/garden', path: '/garden' } })
      .withProperties({ url: 'https://shop.example/garden', path: '/garden', title: 'toy toy' })
      .build();
    expect(await topicsOf(event, { taxonomy, maxTopics: 1 })).toEqual(['toys']);
  });

  it('decodes the path, so accented and spaced segments match', async () => {
    const taxonomy = { cafe: ['café'], kitchen: ['tea towel'] };
    const event = pageAt({ url: 'https://shop.example/caf%C3%A9/tea%20towels' });
    expect(await topicsOf(event, { taxonomy })).toEqual(['cafe', 'kitchen']);
  });

  it('gives the same topics on a replay', async () => {
    const plugin = await setUpPlugin(topicsPlugin);
    const event = pageAt({ title: 'Christmas gift wrap and ribbons' });
    expect(await plugin.enrich(event)).toEqual(await plugin.enrich(event));
  });

  it('rejects a taxonomy whose topics are not keyword lists', async () => {
    await expect(setUpPlugin(topicsPlugin, { taxonomy: { garden: 'garden' } })).rejects.toThrow(
      /must be array/,
    );
    await expect(setUpPlugin(topicsPlugin, { maxTopics: 0 })).rejects.toThrow(/must be >= 1/);
  });
});

describe('compileTaxonomy', () => {
  it('counts one hit per place even when a phrase and a word of the same topic both match', () => {
    const matcher = compileTaxonomy({ kitchen: ['cake tin', 'cake'] });
    const hits = new Map<string, number>();
    matcher.count('SET OF 3 CAKE TINS PANTRY DESIGN', hits);
    expect(hits).toEqual(new Map([['kitchen', 1]]));
  });
});

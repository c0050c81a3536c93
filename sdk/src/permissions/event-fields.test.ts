import { describe, expect, it } from 'vitest';
import type { TrackingEvent } from '../plugin/tracking-event.js';
import { eventFields, eventFieldsFlaw } from './event-fields.js';

const event = (): TrackingEvent => ({
  type: 'track',
  messageId: 'm-1',
  userId: 'u-7',
  event: 'Product Viewed',
  timestamp: '2026-11-29T10:00:00.000Z',
  receivedAt: '2026-11-29T10:00:00.120Z',
  context: {
    ip: '81.2.69.160',
    page: { url: 'https://shop.example/?utm_source=news', title: 'Tins' },
  },
  properties: { price: 4.95, sku: 'T-3' },
  traits: { email: 'ada@example.com' },
  enrichment: { geo: { country: 'GB' } },
});

describe('eventFieldsFlaw', () => {
  it('accepts dotted paths and names what is wrong with the others', () => {
    expect(eventFieldsFlaw(['type', 'context.page.url', 'properties.Product ID'])).toBeUndefined();
    expect(eventFieldsFlaw(['context..ip'])).toBe(
      'permissions.fields[0] ("context..ip") has an empty segment',
    );
    expect(eventFieldsFlaw(['type', 'traits.__proto__.x'])).toBe(
      'permissions.fields[1] ("traits.__proto__.x") names __proto__, which no event field may be',
    );
    expect(eventFieldsFlaw([''])).toBe('permissions.fields[0] ("") must be a non-empty string');
    expect(eventFieldsFlaw(['a.b.c.d.e.f.g.h.i'])).toMatch(/deeper than 8 levels/);
    expect(eventFieldsFlaw(Array.from({ length: 65 }, (_, i) => `properties.p${i}`))).toMatch(
      /more than 64 fields/,
    );
  });
});

describe('eventFields', () => {
  it('narrows an event to the declared fields only: no identity, no traits, no other context', () => {
    const fields = eventFields([
      'context.page.url',
      'properties.price',
      'properties.missing',
      'type',
    ]);
    expect(fields.narrow(event())).toEqual({
      context: { page: { url: 'https://shop.example/?utm_source=news' } },
      properties: { price: 4.95 },
      type: 'track',
    });
  });

  it('keeps the broadest of overlapping fields', () => {
    const fields = eventFields(['context.ip', 'context', 'properties.price', 'context.page']);
    expect(fields.fields).toEqual(['context', 'properties.price']);
    expect(fields.narrow(event()).context).toEqual(event().context);
  });

  it('puts the result back: declared fields replaced or removed, enrichment added, the rest kept', () => {
    const fields = eventFields(['context.page.url', 'properties.price']);
    const original = event();
    const applied = fields.apply(original, {
      context: { page: {} },
      properties: { price: 5.5 },
      enrichment: { utm: { source: 'news' } },
    });
    expect(applied).toEqual({
      event: {
        ...event(),
        context: { ip: '81.2.69.160', page: { title: 'Tins' } },
        properties: { price: 5.5, sku: 'T-3' },
        enrichment: { geo: { country: 'GB' }, utm: { source: 'news' } },
      },
    });
    expect(original).toEqual(event());
  });

  it('adds to an enrichment that holds a "__proto__" key as a plain key, its prototype untouched', () => {
    const fields = eventFields(['properties.price']);
    const enrichment = JSON.parse('{"__proto__":{"polluted":true},"geo":"GB"}') as object;
    const applied = fields.apply({ ...event(), enrichment } as TrackingEvent, {
      enrichment: { utm: 'news' },
    });
    const merged = 'event' in applied ? applied.event.enrichment : undefined;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.entries(merged ?? {})).toEqual([
      ['__proto__', { polluted: true }],
      ['geo', 'GB'],
      ['utm', 'news'],
    ]);
  });

  it('creates what a declared field needs when the event lacked it', () => {
    const fields = eventFields(['context.campaign.name']);
    const applied = fields.apply(event(), { context: { campaign: { name: 'winter' } } });
    expect('event' in applied && applied.event.context).toEqual({
      ...event().context,
      campaign: { name: 'winter' },
    });
  });

  it('refuses a result that changes what the plugin could not read', () => {
    const fields = eventFields(['properties.price']);
    expect(fields.apply(event(), { properties: { price: 1 }, userId: 'someone-else' })).toEqual({
      error: 'enrich changed "userId", which its permissions.fields do not name',
    });
    expect(fields.apply(event(), { enrichment: 'geo' })).toEqual({
      error: 'enrich returned an enrichment that is not an object',
    });
    const sneaky = JSON.parse('{"enrichment":{"__proto__":{"polluted":true}}}') as Record<
      string,
      unknown
    >;
    expect(fields.apply(event(), sneaky)).toEqual({
      error: 'enrich returned an enrichment key named __proto__',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('throws on unusable fields', () => {
    expect(() => eventFields(['a..b'])).toThrow('has an empty segment');
  });
});

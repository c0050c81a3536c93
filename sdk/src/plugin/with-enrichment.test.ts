import { describe, expect, it } from 'vitest';
import type { TrackingEvent } from './tracking-event.js';
import { mergedEnrichment, withEnrichment } from './with-enrichment.js';

const event = (enrichment: Record<string, unknown>): TrackingEvent => ({
  type: 'page',
  messageId: 'm-1',
  anonymousId: 'a-1',
  timestamp: '2026-11-29T10:00:00.000Z',
  receivedAt: '2026-11-29T10:00:00.120Z',
  context: { page: { url: 'https://shop.example/pricing' } },
  properties: {},
  traits: {},
  enrichment,
});

describe('withEnrichment', () => {
  it('adds under enrichment and leaves the event it was given as it was', () => {
    const original = event({ geo: { country: 'GB' } });
    const enriched = withEnrichment(original, 'weather', { tempC: 21 });
    expect(enriched).toEqual({
      ...event({ geo: { country: 'GB' } }),
      enrichment: { geo: { country: 'GB' }, weather: { tempC: 21 } },
    });
    expect(original).toEqual(event({ geo: { country: 'GB' } }));
  });

  it('replaces a key the enrichment already has', () => {
    expect(withEnrichment(event({ topics: ['a'] }), 'topics', ['b']).enrichment).toEqual({
      topics: ['b'],
    });
  });

  it('copies a "__proto__" key as a plain key, never as the prototype', () => {
    const hostile = JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const added = withEnrichment(event({}), '__proto__', { polluted: true }).enrichment;
    const kept = mergedEnrichment(hostile, { geo: 'GB' });
    for (const merged of [added, kept]) {
      expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
      expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

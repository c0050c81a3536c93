import { describe, expect, it } from 'vitest';
import { segmentView, MAX_PROFILE_FACTS } from './segment-view.js';
import { sqlSegmentView } from './sql-segment-view.js';

describe('segmentView', () => {
  it('flattens scalar leaves by dotted path, one fact per list element', () => {
    const view = segmentView({
      traits: {
        plan: 'pro',
        age: 36,
        vip: false,
        tags: ['a', 'b'],
        address: { city: 'Berlin' },
        none: null,
      },
      counters: { total: 3, byType: { Tracked: 2 } },
      firstSeen: '2024-01-15T08:00:00.000Z',
      groups: ['acme'],
      segments: ['vip', 7],
    });
    expect(view.facts).toEqual([
      { p: 'traits.plan', s: 'pro' },
      { p: 'traits.age', n: 36 },
      { p: 'traits.vip', b: false },
      { p: 'traits.tags', s: 'a' },
      { p: 'traits.tags', s: 'b' },
      { p: 'traits.address.city', s: 'Berlin' },
      { p: 'counters.total', n: 3 },
      { p: 'counters.byType.Tracked', n: 2 },
      { p: 'firstSeen', s: '2024-01-15T08:00:00.000Z' },
      { p: 'groups', s: 'acme' },
    ]);
    expect([...view.segments]).toEqual(['vip']);
  });

  it('turns activity into type, name, epoch ms and property facts', () => {
    const view = segmentView({
      activity: [
        {
          type: 'Tracked',
          name: 'Order Completed',
          at: '2025-05-01T00:00:00.000Z',
          properties: { total: 80, skus: ['x'] },
        },
        { type: 'PageViewed', at: '2025-05-02T00:00:00.000Z', properties: {} },
        { type: 'Tracked', at: 'not a date', properties: {} },
      ],
    });
    expect(view.activity).toEqual([
      {
        t: 'Tracked',
        e: 'Order Completed',
        at: Date.UTC(2025, 4, 1),
        facts: [
          { p: 'properties.total', n: 80 },
          { p: 'properties.skus', s: 'x' },
        ],
      },
      { t: 'PageViewed', at: Date.UTC(2025, 4, 2), facts: [] },
    ]);
  });

  it('cuts long strings without splitting a character, and makes strings storable', () => {
    const long = `${'x'.repeat(255)}😀tail`;
    const view = segmentView({ traits: { long, broken: 'a\ud800b', nul: 'a\0b' } });
    expect(view.facts.map((fact) => fact.s)).toEqual(['x'.repeat(255), 'a\uFFFDb', 'a\uFFFDb']);
  });

  it('makes paths storable too, and views a profile the same each time', () => {
    const profile = {
      traits: { 'bad\ud800key': 'v', plan: 'pro' },
      activity: [{ type: 'Tracked', at: '2025-05-01T00:00:00.000Z', properties: { n: 1 } }],
    };
    const first = segmentView(profile);
    expect(first.facts.map((fact) => fact.p)).toEqual(['traits.bad\uFFFDkey', 'traits.plan']);
    expect(segmentView(profile)).toEqual(first);
    expect(segmentView(profile).activity[0]!.at).toBe(Date.UTC(2025, 4, 1));
  });

  it('builds only the scoped paths and activity names, cut where the whole view is cut', () => {
    const many = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`t${i}`, i]));
    const profile = {
      traits: { ...many, nested: [{ city: 'Leeds' }, { city: 'York' }] },
      geo: { country: 'GB' },
      activity: [
        { type: 'Tracked', name: 'Order Completed', at: '2025-05-01T00:00:00.000Z' },
        { type: 'Tracked', name: 'Product Viewed', at: '2025-05-02T00:00:00.000Z' },
        { type: 'PageViewed', at: '2025-05-03T00:00:00.000Z' },
      ],
    };
    const whole = segmentView(profile);
    const scoped = segmentView(profile, {
      paths: new Set(['traits.t5', 'traits.t1200', 'traits.nested.city', 'geo.country']),
      activity: new Set(['Order Completed']),
    });
    // t1200 and everything after it lie beyond the cap of the whole view: not in either.
    expect(whole.facts.some((fact) => fact.p === 'traits.t1200')).toBe(false);
    expect(scoped.facts).toEqual([{ p: 'traits.t5', n: 5 }]);
    expect(scoped.activity.map((entry) => entry.e)).toEqual(['Order Completed']);

    const small = { traits: { t5: 5, nested: [{ city: 'Leeds' }, { city: 'York' }] }, geo: {} };
    expect(
      segmentView(small, { paths: new Set(['traits.nested.city']), activity: 'none' }),
    ).toEqual({
      facts: [
        { p: 'traits.nested.city', s: 'Leeds' },
        { p: 'traits.nested.city', s: 'York' },
      ],
      activity: [],
      segments: new Set(),
    });
  });

  it('caps the number of facts so one profile stays indexable', () => {
    const many = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`t${i}`, i]));
    expect(segmentView({ traits: many }).facts).toHaveLength(MAX_PROFILE_FACTS);
  });
});

describe('sqlSegmentView', () => {
  it('groups facts by path and activity by event name', () => {
    const view = segmentView({
      traits: { tags: ['a', 'b'], plan: 'pro' },
      activity: [
        {
          type: 'Tracked',
          name: '__proto__',
          at: '2025-05-01T00:00:00.000Z',
          properties: { n: 1 },
        },
        { type: 'PageViewed', at: '2025-05-02T00:00:00.000Z', properties: {} },
        { type: 'Tracked', name: '__proto__', at: '2025-05-03T00:00:00.000Z', properties: {} },
      ],
      segments: ['vip'],
    });
    const stored = JSON.parse(
      JSON.stringify({ facts: view.facts, activity: view.activity, segments: [...view.segments] }),
    ) as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(sqlSegmentView(stored)))).toEqual({
      f: { 'traits.tags': ['a', 'b'], 'traits.plan': ['pro'] },
      a: {
        ['__proto__']: {
          t: ['Tracked', 'Tracked'],
          at: [Date.UTC(2025, 4, 1), Date.UTC(2025, 4, 3)],
          f: [{ 'properties.n': [1] }, {}],
        },
        '': { t: ['PageViewed'], at: [Date.UTC(2025, 4, 2)], f: [{}] },
      },
      s: ['vip'],
    });
  });
});

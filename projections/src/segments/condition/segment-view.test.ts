import { describe, expect, it } from 'vitest';
import { segmentView, MAX_ENTRY_FACTS, MAX_FACT_PATH, MAX_PROFILE_FACTS } from './segment-view.js';
import { sqlSegmentViewJson, type SqlSegmentView } from './sql-segment-view.js';

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

  it('gives an entry the facts of its properties in any shape, up to the cap', () => {
    const long = 'k'.repeat(MAX_FACT_PATH);
    const properties = {
      total: 80,
      paid: true,
      none: null,
      nothing: undefined,
      skus: ['x', 2, { deep: 'y' }, null],
      address: { city: 'Leeds', lines: ['1 Main St'] },
      [long]: 'a key too long for a path',
      bad: Number.NaN,
      text: 'lone \ud800 surrogate',
    };
    const [entry] = segmentView({
      activity: [{ type: 'Tracked', at: '2025-05-01T00:00:00.000Z', properties }],
    }).activity;
    expect(entry?.facts).toEqual([
      { p: 'properties.total', n: 80 },
      { p: 'properties.paid', b: true },
      { p: 'properties.skus', s: 'x' },
      { p: 'properties.skus', n: 2 },
      { p: 'properties.skus.deep', s: 'y' },
      { p: 'properties.address.city', s: 'Leeds' },
      { p: 'properties.address.lines', s: '1 Main St' },
      { p: 'properties.text', s: 'lone \ufffd surrogate' },
    ]);
    const many = {
      list: Array.from({ length: 30 }, (_, i) => i),
      ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, i])),
    };
    const [capped] = segmentView({
      activity: [{ type: 'Tracked', at: '2025-05-01T00:00:00.000Z', properties: many }],
    }).activity;
    expect(capped?.facts).toHaveLength(MAX_ENTRY_FACTS);
    expect(capped?.facts.at(-1)).toEqual({
      p: `properties.p${MAX_ENTRY_FACTS - 31}`,
      n: MAX_ENTRY_FACTS - 31,
    });
  });

  it('views activity as it grows, each entry as a fresh copy of it would be viewed', () => {
    const entry = (day: number, total: number) => ({
      type: 'Tracked',
      name: 'Order Completed',
      at: `2025-05-0${day}T00:00:00.000Z`,
      properties: { total },
    });
    const profile = { activity: [entry(1, 80), entry(2, 20)] };
    const first = segmentView(profile);
    profile.activity = [...profile.activity.slice(1), entry(3, 55)];
    const second = segmentView(profile);
    const fresh = segmentView(JSON.parse(JSON.stringify(profile)) as typeof profile);
    expect(second.activity).toEqual(fresh.activity);
    expect(second.activity.map((viewed) => [viewed.at, viewed.facts[0]?.n])).toEqual([
      [Date.UTC(2025, 4, 2), 20],
      [Date.UTC(2025, 4, 3), 55],
    ]);
    expect(first.activity[1]).toEqual(second.activity[0]);
    // Nothing shows on the entries themselves: not in their keys, copies or JSON.
    expect(Object.keys(profile.activity[0]!)).toEqual(['type', 'name', 'at', 'properties']);
    expect({ ...profile.activity[0] }).toEqual(entry(2, 20));
    expect(JSON.stringify(profile.activity[0])).toBe(JSON.stringify(entry(2, 20)));
  });

  it('caps the number of facts so one profile stays indexable', () => {
    const many = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`t${i}`, i]));
    expect(segmentView({ traits: many }).facts).toHaveLength(MAX_PROFILE_FACTS);
  });
});

/** Both parts of the SQL layout, parsed back into one object. */
function sqlLayout(document: Record<string, unknown>): SqlSegmentView {
  const { facts, activity } = sqlSegmentViewJson(document);
  return {
    ...(JSON.parse(facts) as Pick<SqlSegmentView, 'f' | 's'>),
    ...(JSON.parse(activity) as Pick<SqlSegmentView, 'a'>),
  };
}

describe('sqlSegmentViewJson', () => {
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
    expect(sqlLayout(stored)).toEqual({
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
  it('writes any text as valid JSON and groups a path wherever its facts stand', () => {
    const odd = 'quote " backslash \\ newline \n tab \t é 😀 \u0001';
    const stored = {
      facts: [
        { p: 'traits.a.b', n: 1 },
        { p: 'traits.c', s: odd },
        { p: 'traits.a.b', n: -0 },
        { p: 'traits.flag', b: false },
        { p: 'traits.bad', n: Number.NaN },
        { p: 42, s: 'no path' },
        'not a fact',
      ],
      activity: [
        { t: 'Tracked', e: odd, at: 5, facts: [{ p: 'properties.x', s: odd }] },
        { t: 'Tracked', at: Number.POSITIVE_INFINITY, facts: [] },
        { e: 'no type', at: 6, facts: [] },
        null,
        { t: 'PageViewed', at: 7 },
      ],
      segments: ['vip', 3, odd],
    };
    expect(sqlLayout(stored)).toEqual({
      f: { 'traits.a.b': [1, 0], 'traits.c': [odd], 'traits.flag': [false] },
      a: {
        [odd]: { t: ['Tracked'], at: [5], f: [{ 'properties.x': [odd] }] },
        '': { t: ['PageViewed'], at: [7], f: [{}] },
      },
      s: ['vip', odd],
    });
  });

  it('writes an empty layout for a document without a view', () => {
    expect(sqlSegmentViewJson({})).toEqual({ facts: '{"f":{},"s":[]}', activity: '{"a":{}}' });
  });
});

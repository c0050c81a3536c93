import { describe, expect, it } from 'vitest';
import { indexedValues } from './document-fields.js';

describe('indexedValues', () => {
  it('walks arrays at every level of a path, as OpenSearch flattens them', () => {
    const order = {
      items: [
        { sku: 'a', tags: [['x'], 'y'] },
        [{ sku: 'b' }, { sku: null }],
        { sku: ['c', 'a'] },
        { other: 'z' },
      ],
    };
    expect(indexedValues(order, 'items.sku', 'keyword')).toEqual(['a', 'b', 'c']);
    expect(indexedValues(order, 'items.tags', 'keyword')).toEqual(['x', 'y']);
    expect(indexedValues(order, 'items.missing', 'keyword')).toEqual([]);
    expect(indexedValues(order, 'items.sku.deeper', 'keyword')).toEqual([]);
  });

  it('indexes each value the way its field type does', () => {
    const profile = { counters: { total: 3 }, plan: 7, lastSeen: '2026-01-02T00:00:00.000Z' };
    expect(indexedValues(profile, 'counters.total', 'number')).toEqual([3]);
    expect(indexedValues(profile, 'plan', 'keyword')).toEqual(['7']);
    expect(indexedValues(profile, 'lastSeen', 'date')).toEqual([Date.UTC(2026, 0, 2)]);
    expect(indexedValues({ a: { hasOwnProperty: 1 } }, 'a.toString', 'keyword')).toEqual([]);
  });
});

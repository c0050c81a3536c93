import { describe, expect, it } from 'vitest';
import { jsonFlaw } from './json-flaw.js';

describe('jsonFlaw', () => {
  it('passes plain JSON, null prototypes and undefined values', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(jsonFlaw({ a: [1, 'x', true, null, { b: undefined }], bare })).toBeUndefined();
  });

  it('names the first value that is not JSON and where it is', () => {
    expect(jsonFlaw({ enrichment: { seenAt: new Date(0) } })).toEqual({
      what: 'a Date',
      path: ['enrichment', 'seenAt'],
    });
    expect(jsonFlaw({ list: [1, new Map()] })).toEqual({ what: 'a Map', path: ['list', 1] });
    expect(jsonFlaw({ f: () => 1 })).toEqual({ what: 'a function', path: ['f'] });
    expect(jsonFlaw(10n)).toEqual({ what: 'a bigint', path: [] });
  });

  it('stops at a cycle', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(jsonFlaw(cycle)?.what).toBe('nesting deeper than 64 levels (a cycle?)');
  });
});

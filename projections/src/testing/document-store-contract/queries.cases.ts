import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentFilter, DocumentQuery } from '../../ports/document-store.port.js';
import type { ContractContext } from './context.js';
import { ids } from './people.js';

/** Filters, text search, sorting, counts and terms over the people. */
export function queryCases(ctx: ContractContext): void {
  describe('on a populated collection', () => {
    let coll: string;
    beforeAll(async () => {
      coll = await ctx.people();
    });
    const matching = (filter: DocumentFilter) =>
      ctx.store.search(coll, { filter, size: 100 }).then(ids);
    const sorted = (sort: DocumentQuery['sort']) => ctx.store.search(coll, { sort }).then(ids);

    it('filters by eq on keyword, array keyword, nested, number, boolean and date fields', async () => {
      expect(await matching({ field: 'plan', eq: 'pro' })).toEqual(['p1', 'p4', 'p5']);
      expect(await matching({ field: 'tags', eq: 'math' })).toEqual(['p1', 'p2', 'p3']);
      expect(await matching({ field: 'tags', eq: 'solo' })).toEqual(['p6']);
      expect(await matching({ field: 'address.city', eq: 'London' })).toEqual(['p1', 'p3']);
      expect(await matching({ field: 'email', eq: 'ADA@example.com' })).toEqual([]);
      expect(await matching({ field: 'visits', eq: 12 })).toEqual(['p1', 'p3']);
      expect(await matching({ field: 'active', eq: true })).toEqual(['p1', 'p2', 'p4']);
      expect(await matching({ field: 'active', eq: false })).toEqual(['p3', 'p6']);
      // The same instant written differently.
      expect(await matching({ field: 'signedUpAt', eq: '2024-03-01T00:00:00Z' })).toEqual(['p2']);
    });

    it('filters by in', async () => {
      expect(await matching({ field: 'plan', in: ['free', 'enterprise'] })).toEqual([
        'p2',
        'p3',
        'p6',
      ]);
      expect(await matching({ field: 'tags', in: ['space', 'crypto'] })).toEqual(['p3', 'p5']);
      expect(await matching({ field: 'visits', in: [0, 40] })).toEqual(['p2', 'p6']);
      expect(await matching({ field: 'plan', in: [] })).toEqual([]);
    });

    it('filters by range on numbers and dates', async () => {
      expect(await matching({ field: 'visits', range: { gt: 3, lte: 12 } })).toEqual(['p1', 'p3']);
      expect(await matching({ field: 'visits', range: { gte: 0, lt: 4 } })).toEqual(['p4', 'p6']);
      expect(
        await matching({ field: 'signedUpAt', range: { gte: '2024-01-01', lt: '2024-03-01' } }),
      ).toEqual(['p1', 'p6']);
      // p4 signed up at 10:30 UTC (12:30 at +02:00).
      expect(
        await matching({
          field: 'signedUpAt',
          range: { gt: '2024-03-01T00:00:00Z', lte: '2024-03-01T10:30:00Z' },
        }),
      ).toEqual(['p4']);
    });

    it('filters by exists and by prefix', async () => {
      expect(await matching({ field: 'visits', exists: true })).toEqual([
        'p1',
        'p2',
        'p3',
        'p4',
        'p6',
      ]);
      expect(await matching({ field: 'visits', exists: false })).toEqual(['p5']);
      // An empty array is no value.
      expect(await matching({ field: 'tags', exists: false })).toEqual(['p4']);
      expect(await matching({ field: 'address.city', exists: false })).toEqual(['p5']);
      expect(await matching({ field: 'bio', exists: true })).toHaveLength(6);
      expect(await matching({ field: 'email', prefix: 'a' })).toEqual(['p1', 'p3']);
      expect(await matching({ field: 'email', prefix: 'grace@' })).toEqual(['p2']);
      expect(await matching({ field: 'email', prefix: 'A' })).toEqual([]);
      expect(await matching({ field: 'address.city', prefix: 'Zü' })).toEqual(['p6']);
    });

    it('combines filters with and, or and not', async () => {
      expect(
        await matching({
          and: [{ field: 'plan', eq: 'pro' }, { not: { field: 'tags', eq: 'math' } }],
        }),
      ).toEqual(['p4', 'p5']);
      expect(
        await matching({
          or: [
            { field: 'address.city', eq: 'London' },
            { field: 'visits', range: { gt: 30 } },
          ],
        }),
      ).toEqual(['p1', 'p2', 'p3']);
      // `not` matches documents without the field too.
      expect(await matching({ not: { field: 'address.city', eq: 'London' } })).toEqual([
        'p2',
        'p4',
        'p5',
        'p6',
      ]);
      expect(
        await matching({
          or: [
            {
              and: [
                { field: 'plan', eq: 'free' },
                { field: 'active', eq: false },
              ],
            },
            {
              not: {
                or: [
                  { field: 'visits', exists: true },
                  { field: 'plan', eq: 'free' },
                ],
              },
            },
          ],
        }),
      ).toEqual(['p3', 'p5', 'p6']);
      expect(await matching({ and: [] })).toHaveLength(6);
      expect(await matching({ or: [] })).toEqual([]);
    });

    it('refuses unmapped fields and filters a field type cannot answer', async () => {
      await expect(matching({ field: 'nickname', eq: 'x' })).rejects.toThrow(
        /"nickname" is not mapped/,
      );
      await expect(matching({ field: 'name', eq: 'Ada Lovelace' })).rejects.toThrow(/text/);
      await expect(matching({ field: 'visits', eq: 'twelve' })).rejects.toThrow(/number/);
      await expect(sorted([{ field: 'name', order: 'asc' }])).rejects.toThrow(/text/);
      await expect(ctx.store.count(coll, { field: 'unknown', exists: true })).rejects.toThrow(
        /not mapped/,
      );
    });

    it('searches text: words, all must occur, any case, across text fields', async () => {
      const search = (text: string, filter?: DocumentFilter) =>
        ctx.store.search(coll, { text, filter });
      expect(ids(await search('lovelace'))).toEqual(['p1']);
      expect(ids(await search('LOVELACE'))).toEqual(['p1']);
      expect(ids(await search('first'))).toEqual(['p1', 'p2']);
      expect(ids(await search('wrote first'))).toEqual(['p1']);
      expect(ids(await search('grace compiler'))).toEqual(['p2']);
      expect(ids(await search('machine'))).toEqual(['p2', 'p3']);
      expect(ids(await search('nobody'))).toEqual([]);
      const filtered = await search('machine', { field: 'plan', eq: 'free' });
      expect(ids(filtered)).toEqual(['p3']);
      expect(filtered.total).toBe(1);
    });

    it('treats search syntax in user text as words', async () => {
      const search = (text: string) => ctx.store.search(coll, { text }).then(ids);
      expect(await search('Ada* "Lovelace')).toEqual(['p1']);
      expect(await search('kernel AND (hobby)')).toEqual([]);
      expect(await search('kernel: hobby!')).toEqual(['p4']);
      // No words at all: the text does not narrow the search.
      expect(await search('(*"')).toHaveLength(6);
    });

    it('sorts by number, keyword, date and boolean; missing values last; id breaks ties', async () => {
      expect(await sorted([{ field: 'visits', order: 'asc' }])).toEqual([
        'p6',
        'p4',
        'p1',
        'p3',
        'p2',
        'p5',
      ]);
      expect(await sorted([{ field: 'visits', order: 'desc' }])).toEqual([
        'p2',
        'p1',
        'p3',
        'p4',
        'p6',
        'p5',
      ]);
      expect(await sorted([{ field: 'plan', order: 'desc' }])).toEqual([
        'p1',
        'p4',
        'p5',
        'p3',
        'p6',
        'p2',
      ]);
      expect(await sorted([{ field: 'signedUpAt', order: 'asc' }])).toEqual([
        'p3',
        'p1',
        'p6',
        'p2',
        'p4',
        'p5',
      ]);
      expect(await sorted([{ field: 'signedUpAt', order: 'desc' }])).toEqual([
        'p4',
        'p2',
        'p6',
        'p1',
        'p3',
        'p5',
      ]);
      expect(await sorted([{ field: 'active', order: 'asc' }])).toEqual([
        'p3',
        'p6',
        'p1',
        'p2',
        'p4',
        'p5',
      ]);
      expect(
        await sorted([
          { field: 'plan', order: 'asc' },
          { field: 'visits', order: 'desc' },
        ]),
      ).toEqual(['p2', 'p3', 'p6', 'p1', 'p4', 'p5']);
      expect(await sorted(undefined)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    });

    it('sorts an array field by its smallest value ascending and largest descending', async () => {
      expect(await sorted([{ field: 'tags', order: 'asc' }])).toEqual([
        'p2',
        'p3',
        'p1',
        'p6',
        'p5',
        'p4',
      ]);
      expect(await sorted([{ field: 'tags', order: 'desc' }])).toEqual([
        'p5',
        'p6',
        'p1',
        'p2',
        'p3',
        'p4',
      ]);
    });

    it('counts with and without a filter', async () => {
      expect(await ctx.store.count(coll)).toBe(6);
      expect(await ctx.store.count(coll, { field: 'plan', eq: 'pro' })).toBe(3);
      expect(await ctx.store.count(coll, { field: 'tags', eq: 'nothing' })).toBe(0);
    });

    it('aggregates terms: largest first, ties by key, each array element counted', async () => {
      expect(await ctx.store.terms(coll, { field: 'plan' })).toEqual([
        { key: 'pro', count: 3 },
        { key: 'free', count: 2 },
        { key: 'enterprise', count: 1 },
      ]);
      expect(await ctx.store.terms(coll, { field: 'tags', size: 3 })).toEqual([
        { key: 'math', count: 3 },
        { key: 'compilers', count: 1 },
        { key: 'crypto', count: 1 },
      ]);
      expect(await ctx.store.terms(coll, { field: 'tags' })).toHaveLength(7);
      expect(
        await ctx.store.terms(coll, { field: 'tags', filter: { field: 'active', eq: true } }),
      ).toEqual([
        { key: 'math', count: 2 },
        { key: 'compilers', count: 1 },
        { key: 'navy', count: 1 },
        { key: 'poetry', count: 1 },
      ]);
      expect(await ctx.store.terms(coll, { field: 'visits' })).toEqual([
        { key: 12, count: 2 },
        { key: 0, count: 1 },
        { key: 3, count: 1 },
        { key: 40, count: 1 },
      ]);
      expect(await ctx.store.terms(coll, { field: 'active' })).toEqual([
        { key: true, count: 3 },
        { key: false, count: 2 },
      ]);
      await expect(ctx.store.terms(coll, { field: 'name' })).rejects.toThrow(/text/);
    });
  });
}

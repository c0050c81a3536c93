import { describe, expect, it } from 'vitest';
import type { DocumentQuery, DocumentWrite } from '../../ports/document-store.port.js';
import type { ContractContext } from './context.js';
import { ids, PEOPLE_DOCS } from './people.js';

/** Upserts, deletes and reads by id; exact round trips; large batches. */
export function writeCases(ctx: ContractContext): void {
  describe('writes and reads', () => {
    it('upserts replace the whole document, in the index too', async () => {
      const target = await ctx.collection();
      const first = { name: 'Old Name', plan: 'pro', tags: ['x'], visits: 1 };
      await ctx.store.write([{ op: 'upsert', collection: target, id: 'u1', document: first }]);
      await ctx.store.write([
        { op: 'upsert', collection: target, id: 'u1', document: { name: 'New', plan: 'free' } },
      ]);

      expect(await ctx.store.get(target, 'u1')).toEqual({ name: 'New', plan: 'free' });
      const search = (query: DocumentQuery) => ctx.store.search(target, query).then(ids);
      expect(await search({ filter: { field: 'tags', eq: 'x' } })).toEqual([]);
      expect(await search({ filter: { field: 'plan', eq: 'pro' } })).toEqual([]);
      expect(await search({ filter: { field: 'visits', exists: true } })).toEqual([]);
      expect(await search({ text: 'old' })).toEqual([]);
      expect(await search({ text: 'new', filter: { field: 'plan', eq: 'free' } })).toEqual(['u1']);
    });

    it('upserts that change part of a document move only that part of the index', async () => {
      const target = await ctx.collection();
      const put = (document: Record<string, unknown>) =>
        ctx.store.write([{ op: 'upsert', collection: target, id: 'u1', document }]);
      const search = (query: DocumentQuery) => ctx.store.search(target, query).then(ids);
      const ada = { name: 'Ada Lovelace', bio: 'analyst', plan: 'pro', active: true };
      await put({ ...ada, tags: ['x', 'y'], visits: 1 });
      await put({ ...ada, tags: ['y', 'z'], visits: 2 });

      expect(await search({ filter: { field: 'tags', eq: 'x' } })).toEqual([]);
      expect(await search({ filter: { field: 'tags', eq: 'y' } })).toEqual(['u1']);
      expect(await search({ filter: { field: 'tags', eq: 'z' } })).toEqual(['u1']);
      expect(await search({ filter: { field: 'visits', eq: 1 } })).toEqual([]);
      expect(await search({ filter: { field: 'visits', range: { gte: 2 } } })).toEqual(['u1']);
      expect(
        await search({ text: 'lovelace analyst', filter: { field: 'active', eq: true } }),
      ).toEqual(['u1']);

      await put({ name: 'Ada King', plan: 'pro', tags: ['y'], visits: 2 });
      expect(await search({ text: 'lovelace' })).toEqual([]);
      expect(await search({ text: 'analyst' })).toEqual([]);
      expect(await search({ text: 'king' })).toEqual(['u1']);
      expect(await search({ filter: { field: 'bio', exists: true } })).toEqual([]);
      expect(await search({ filter: { field: 'active', exists: true } })).toEqual([]);
      expect(await search({ filter: { field: 'tags', eq: 'z' } })).toEqual([]);
      expect(await ctx.store.terms(target, { field: 'tags', size: 5 })).toEqual([
        { key: 'y', count: 1 },
      ]);
    });

    it('deletes documents everywhere; deleting an absent id is a no-op', async () => {
      const target = await ctx.people();
      await ctx.store.write([
        { op: 'delete', collection: target, id: 'p1' },
        { op: 'delete', collection: target, id: 'never-written' },
      ]);

      expect(await ctx.store.get(target, 'p1')).toBeUndefined();
      expect(await ctx.store.count(target)).toBe(5);
      expect(ids(await ctx.store.search(target, { text: 'lovelace' }))).toEqual([]);
      expect(await ctx.store.terms(target, { field: 'tags', size: 1 })).toEqual([
        { key: 'math', count: 2 },
      ]);
    });

    it('applies a batch in order', async () => {
      const target = await ctx.collection();
      await ctx.store.write([
        { op: 'upsert', collection: target, id: 'a', document: { plan: 'pro' } },
        { op: 'delete', collection: target, id: 'a' },
        { op: 'upsert', collection: target, id: 'b', document: { plan: 'pro' } },
        { op: 'upsert', collection: target, id: 'b', document: { plan: 'free' } },
        { op: 'delete', collection: target, id: 'c' },
        { op: 'upsert', collection: target, id: 'c', document: { plan: 'free' } },
      ]);
      expect(await ctx.store.get(target, 'a')).toBeUndefined();
      expect(await ctx.store.get(target, 'b')).toEqual({ plan: 'free' });
      expect(await ctx.store.get(target, 'c')).toEqual({ plan: 'free' });
      expect(await ctx.store.terms(target, { field: 'plan' })).toEqual([{ key: 'free', count: 2 }]);
    });

    it('gets many documents, leaving out the ids not found', async () => {
      const target = await ctx.people();
      const found = await ctx.store.getMany(target, ['p3', 'missing', 'p1']);
      expect(found).toEqual(
        new Map([
          ['p3', PEOPLE_DOCS.p3],
          ['p1', PEOPLE_DOCS.p1],
        ]),
      );
      expect(await ctx.store.getMany(target, [])).toEqual(new Map());
      expect(await ctx.store.get(target, 'missing')).toBeUndefined();
    });

    it('round-trips nested objects, arrays, nulls and numbers exactly', async () => {
      const target = await ctx.collection();
      const document = {
        name: 'Nested',
        traits: { plan: { tier: 'gold', since: '2020-01-01' }, scores: [1, 2.5, -3e-7] },
        events: [{ type: 'Order Completed', items: [{ sku: 'A-1', qty: 2 }] }, { type: 'x' }],
        empty: {},
        none: null,
        flags: [true, false],
        big: 9007199254740991,
        text: 'quote " backslash \\ newline \n tab \t',
      };
      await ctx.store.write([{ op: 'upsert', collection: target, id: 'n1', document }]);
      expect(await ctx.store.get(target, 'n1')).toEqual(document);
      expect((await ctx.store.getMany(target, ['n1'])).get('n1')).toEqual(document);
      expect((await ctx.store.search(target)).hits).toEqual([{ id: 'n1', document }]);
    });

    it('stores unicode ids and text and searches it', async () => {
      const target = await ctx.collection();
      const id = 'профиль-✓-1';
      await ctx.store.write([
        { op: 'upsert', collection: target, id, document: PEOPLE_DOCS.p6! },
        { op: 'upsert', collection: target, id: 'p1', document: PEOPLE_DOCS.p1! },
      ]);
      expect(await ctx.store.get(target, id)).toEqual(PEOPLE_DOCS.p6);
      const search = (text: string) => ctx.store.search(target, { text }).then(ids);
      expect(await search('müller')).toEqual([id]);
      expect(await search('ZOË bücher')).toEqual([id]);
      expect(await search('日本語')).toEqual([id]);
      expect(await search('zoe')).toEqual([]);
      expect(
        ids(await ctx.store.search(target, { filter: { field: 'address.city', eq: 'Zürich' } })),
      ).toEqual([id]);
    });

    it('writes a batch of 2,000 upserts in one call', async () => {
      const target = await ctx.collection({ fields: { group: 'keyword', n: 'number' } });
      const writes: DocumentWrite[] = Array.from({ length: 2000 }, (_, n) => ({
        op: 'upsert',
        collection: target,
        id: `bulk-${String(n).padStart(4, '0')}`,
        document: { group: `g${n % 4}`, n, payload: 'x'.repeat(200) },
      }));
      await ctx.store.write(writes);

      expect(await ctx.store.count(target)).toBe(2000);
      expect(await ctx.store.count(target, { field: 'n', range: { gte: 1990 } })).toBe(10);
      expect(await ctx.store.get(target, 'bulk-1999')).toEqual({
        group: 'g3',
        n: 1999,
        payload: 'x'.repeat(200),
      });
      expect(await ctx.store.terms(target, { field: 'group' })).toEqual([
        { key: 'g0', count: 500 },
        { key: 'g1', count: 500 },
        { key: 'g2', count: 500 },
        { key: 'g3', count: 500 },
      ]);
    }, 60_000);
  });
}

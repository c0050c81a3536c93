import { beforeAll, describe, expect, it } from 'vitest';
import type { Document, DocumentPage, DocumentQuery } from '../../ports/document-store.port.js';
import type { ContractContext } from './context.js';
import { ids, upserts } from './people.js';

/** Paging with `after` cursors: complete, exact, stable under writes. */
export function pagingCases(ctx: ContractContext): void {
  describe('paging', () => {
    let coll: string;
    const docs: Record<string, Document> = {};
    for (let n = 0; n < 55; n++) {
      docs[`doc-${String((n * 37) % 55).padStart(2, '0')}`] = { rank: n % 7, group: `g${n % 3}` };
    }
    const expectedOrder = (filter: (doc: Document) => boolean = () => true) =>
      Object.entries(docs)
        .filter(([, doc]) => filter(doc))
        .sort(([a, x], [b, y]) => (y.rank as number) - (x.rank as number) || (a < b ? -1 : 1))
        .map(([id]) => id);

    beforeAll(async () => {
      coll = await ctx.collection({ fields: { rank: 'number', group: 'keyword' } });
      await ctx.store.write(upserts(coll, docs));
    });

    const collect = async (query: DocumentQuery) => {
      const pages: DocumentPage[] = [];
      let after: string | undefined;
      do {
        const page = await ctx.store.search(coll, { ...query, after });
        pages.push(page);
        after = page.next;
      } while (after !== undefined && pages.length < 20);
      return pages;
    };

    it('collects every document exactly once with after cursors', async () => {
      const pages = await collect({ sort: [{ field: 'rank', order: 'desc' }], size: 20 });
      expect(pages.map((page) => page.hits.length)).toEqual([20, 20, 15]);
      expect(pages.map((page) => page.total)).toEqual([55, 55, 55]);
      expect(pages.flatMap(ids)).toEqual(expectedOrder());
    });

    it('pages a filtered search and the default id order', async () => {
      const filtered = await collect({
        filter: { field: 'group', eq: 'g0' },
        sort: [{ field: 'rank', order: 'desc' }],
        size: 5,
      });
      expect(filtered.map((page) => page.hits.length)).toEqual([5, 5, 5, 4]);
      expect(filtered.every((page) => page.total === 19)).toBe(true);
      expect(filtered.flatMap(ids)).toEqual(expectedOrder((doc) => doc.group === 'g0'));

      const byId = await collect({ size: 20 });
      expect(byId.flatMap(ids)).toEqual(Object.keys(docs).sort());
      // A page that ends exactly at the last document has no next cursor.
      const exact = await collect({ size: 55 });
      expect(exact).toHaveLength(1);
      expect(exact[0]!.next).toBeUndefined();
    });

    it('stays stable when documents are written between pages', async () => {
      const first = await ctx.store.search(coll, { size: 10 });
      await ctx.store.write([
        { op: 'upsert', collection: coll, id: 'doc-00a', document: { rank: 1, group: 'g9' } },
      ]);
      const second = await ctx.store.search(coll, { size: 10, after: first.next });
      expect(ids(second)).toEqual(Object.keys(docs).sort().slice(10, 20));
      expect(second.total).toBe(56);
      await ctx.store.write([{ op: 'delete', collection: coll, id: 'doc-00a' }]);
    });

    it('defaults to pages of 20 and refuses bad sizes and cursors', async () => {
      const page = await ctx.store.search(coll);
      expect(page.hits).toHaveLength(20);
      expect(page.next).toBeDefined();
      await expect(ctx.store.search(coll, { size: 1001 })).rejects.toThrow(/size/i);
      await expect(ctx.store.search(coll, { size: 0 })).rejects.toThrow(/size/i);
      await expect(ctx.store.search(coll, { after: 'not-a-cursor' })).rejects.toThrow(/cursor/);
      await expect(
        ctx.store.search(coll, { after: page.next, sort: [{ field: 'rank', order: 'asc' }] }),
      ).rejects.toThrow(/cursor/);
    });
  });
}

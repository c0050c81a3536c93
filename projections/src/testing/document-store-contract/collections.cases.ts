import { describe, expect, it } from 'vitest';
import type { ContractContext } from './context.js';
import { ids, PEOPLE, PEOPLE_DOCS, upserts } from './people.js';

/** Collections and aliases: create, list, drop, point, switch. */
export function collectionCases(ctx: ContractContext): void {
  describe('collections', () => {
    it('creates idempotently, lists by prefix in name order and drops', async () => {
      const base = ctx.unique('list');
      await ctx.store.createCollection(`${base}-b`, PEOPLE);
      await ctx.store.createCollection(`${base}-a`, PEOPLE);
      ctx.track(`${base}-a`, `${base}-b`);
      await ctx.store.write(upserts(`${base}-a`, { p1: PEOPLE_DOCS.p1! }));
      await ctx.store.createCollection(`${base}-a`, PEOPLE);

      expect(await ctx.store.listCollections(base)).toEqual([`${base}-a`, `${base}-b`]);
      expect(await ctx.store.get(`${base}-a`, 'p1')).toEqual(PEOPLE_DOCS.p1);
      expect(await ctx.store.listCollections(`${base}-a`)).toEqual([`${base}-a`]);
      expect(await ctx.store.listCollections(ctx.unique('none'))).toEqual([]);

      await ctx.store.dropCollection(`${base}-a`);
      expect(await ctx.store.listCollections(base)).toEqual([`${base}-b`]);
      expect(await ctx.store.get(`${base}-a`, 'p1')).toBeUndefined();
      expect(await ctx.store.getMany(`${base}-a`, ['p1'])).toEqual(new Map());
      await expect(ctx.store.search(`${base}-a`)).rejects.toThrow(/does not exist/);
      await expect(ctx.store.count(`${base}-a`)).rejects.toThrow(/does not exist/);
    });

    it('drops an absent collection as a no-op and refuses invalid names', async () => {
      await ctx.store.dropCollection(ctx.unique('absent'));
      await expect(ctx.store.createCollection('Not Valid', PEOPLE)).rejects.toThrow(/name/);
      await expect(ctx.store.get('all*', 'p1')).rejects.toThrow(/name/);
    });

    it('refuses writes to a missing collection and applies none of the batch', async () => {
      const existing = await ctx.collection();
      const missing = ctx.unique('missing');
      await expect(
        ctx.store.write([
          { op: 'upsert', collection: existing, id: 'p1', document: PEOPLE_DOCS.p1! },
          { op: 'upsert', collection: missing, id: 'p2', document: PEOPLE_DOCS.p2! },
        ]),
      ).rejects.toThrow(/does not exist/);
      expect(await ctx.store.get(existing, 'p1')).toBeUndefined();
      expect(await ctx.store.listCollections(missing)).toEqual([]);
    });
  });

  describe('aliases', () => {
    it('points an alias at a collection; every read goes through it', async () => {
      const target = await ctx.people();
      const alias = ctx.unique('alias');
      expect(await ctx.store.resolveAlias(alias)).toBeUndefined();
      await ctx.store.setAlias(alias, target);

      expect(await ctx.store.resolveAlias(alias)).toBe(target);
      expect(await ctx.store.get(alias, 'p2')).toEqual(PEOPLE_DOCS.p2);
      expect([...(await ctx.store.getMany(alias, ['p1', 'p3'])).keys()].sort()).toEqual([
        'p1',
        'p3',
      ]);
      expect(ids(await ctx.store.search(alias, { filter: { field: 'plan', eq: 'free' } }))).toEqual(
        ['p3', 'p6'],
      );
      expect(await ctx.store.count(alias)).toBe(6);
      expect(await ctx.store.terms(alias, { field: 'plan', size: 1 })).toEqual([
        { key: 'pro', count: 3 },
      ]);
      // Aliases are not collections.
      expect(await ctx.store.listCollections(alias)).toEqual([]);
    });

    it('switches an alias to a new collection at once and writes through it', async () => {
      const blue = await ctx.people();
      const green = await ctx.collection();
      const alias = ctx.unique('alias');
      await ctx.store.setAlias(alias, blue);
      await ctx.store.write([
        { op: 'upsert', collection: green, id: 'g1', document: { name: 'Green One' } },
      ]);
      await ctx.store.setAlias(alias, green);

      expect(await ctx.store.resolveAlias(alias)).toBe(green);
      expect(ids(await ctx.store.search(alias))).toEqual(['g1']);
      expect(await ctx.store.get(alias, 'p1')).toBeUndefined();
      expect(await ctx.store.count(blue)).toBe(6);

      await ctx.store.write([
        { op: 'upsert', collection: alias, id: 'g2', document: { name: 'Green Two' } },
      ]);
      expect(await ctx.store.get(green, 'g2')).toEqual({ name: 'Green Two' });
    });

    it('loses an alias with its collection', async () => {
      const target = await ctx.people();
      const alias = ctx.unique('alias');
      await ctx.store.setAlias(alias, target);
      await ctx.store.dropCollection(target);

      expect(await ctx.store.resolveAlias(alias)).toBeUndefined();
      expect(await ctx.store.get(alias, 'p1')).toBeUndefined();
      await expect(ctx.store.search(alias)).rejects.toThrow(/does not exist/);
    });

    it('refuses an alias to a missing collection and names shared by both kinds', async () => {
      const target = await ctx.collection();
      const alias = ctx.unique('alias');
      await expect(ctx.store.setAlias(alias, ctx.unique('missing'))).rejects.toThrow(
        /does not exist/,
      );
      expect(await ctx.store.resolveAlias(alias)).toBeUndefined();
      await expect(ctx.store.setAlias(target, target)).rejects.toThrow(/already belongs/);
      await ctx.store.setAlias(alias, target);
      await expect(ctx.store.createCollection(alias, PEOPLE)).rejects.toThrow(/already belongs/);
    });
  });
}

import { describe, expect, it } from 'vitest';
import type { ScoredMember } from '../../ports/key-value.port.js';
import { refused, set, type KeyValueContext } from './context.js';

/** Hashes and sorted sets. */
export function structureCases({ store, key }: KeyValueContext): void {
  describe('hashes', () => {
    it('sets, updates, reads and deletes fields', async () => {
      expect(await store().hashGetAll(key('h'))).toEqual({});
      await store().write([
        { op: 'hashSet', key: key('h'), fields: { email: 'ada@example.com', plan: 'free' } },
      ]);
      await store().write([{ op: 'hashSet', key: key('h'), fields: { plan: 'pro', seats: '3' } }]);
      expect(await store().hashGet(key('h'), 'plan')).toBe('pro');
      expect(await store().hashGet(key('h'), 'missing')).toBeUndefined();
      expect(await store().hashGet(key('nothing'), 'plan')).toBeUndefined();
      expect(await store().hashGetAll(key('h'))).toEqual({
        email: 'ada@example.com',
        plan: 'pro',
        seats: '3',
      });

      await store().write([{ op: 'hashDelete', key: key('h'), fields: ['email', 'absent'] }]);
      expect(await store().hashGetAll(key('h'))).toEqual({ plan: 'pro', seats: '3' });
      await store().write([{ op: 'hashDelete', key: key('h'), fields: ['plan', 'seats'] }]);
      expect(await store().hashGetAll(key('h'))).toEqual({});
    });

    it('keeps fields named like Object.prototype members as plain fields', async () => {
      const fields = { ['__proto__']: 'p', constructor: 'c', toString: 't' };
      await store().write([{ op: 'hashSet', key: key('h'), fields }]);
      const all = await store().hashGetAll(key('h'));
      expect(Object.entries(all).sort()).toEqual([
        ['__proto__', 'p'],
        ['constructor', 'c'],
        ['toString', 't'],
      ]);
      expect(await store().hashGet(key('h'), '__proto__')).toBe('p');
    });

    it('increments fields from 0 and refuses a field that is not an integer', async () => {
      await store().write([
        { op: 'hashSet', key: key('h'), fields: { name: 'Ada' } },
        { op: 'hashIncrBy', key: key('h'), field: 'visits', by: 3 },
        { op: 'hashIncrBy', key: key('h'), field: 'visits', by: -1 },
        { op: 'hashIncrBy', key: key('new'), field: 'n', by: 7 },
      ]);
      expect(await store().hashGetAll(key('h'))).toEqual({ name: 'Ada', visits: '2' });
      expect(await store().hashGet(key('new'), 'n')).toBe('7');

      await expect(
        store().write([{ op: 'hashIncrBy', key: key('h'), field: 'name', by: 1 }]),
      ).rejects.toEqual(refused(/field "name" is not an integer/));
      expect(await store().hashGet(key('h'), 'name')).toBe('Ada');
    });

    it('reads a key of another kind as an absent hash', async () => {
      await store().write([set(key('v'), 'plain')]);
      expect(await store().hashGet(key('v'), 'f')).toBeUndefined();
      expect(await store().hashGetAll(key('v'))).toEqual({});
    });
  });

  describe('sorted sets', () => {
    const members = (...pairs: [string, number][]): ScoredMember[] =>
      pairs.map(([member, score]) => ({ member, score }));

    it('adds, updates scores, increments and removes members', async () => {
      const z = key('z');
      await store().write([
        { op: 'sortedSetAdd', key: z, members: members(['a', 1], ['b', 2.5], ['c', -3]) },
        { op: 'sortedSetAdd', key: z, members: members(['a', 10]) },
        { op: 'sortedSetIncrBy', key: z, member: 'b', by: 0.25 },
        { op: 'sortedSetIncrBy', key: z, member: 'd', by: -1 },
        { op: 'sortedSetRemove', key: z, members: ['c', 'absent'] },
      ]);
      expect(await store().sortedSetScore(z, 'a')).toBe(10);
      expect(await store().sortedSetScore(z, 'b')).toBe(2.75);
      expect(await store().sortedSetScore(z, 'c')).toBeUndefined();
      expect(await store().sortedSetScore(key('none'), 'a')).toBeUndefined();
      expect(await store().sortedSetRange(z)).toEqual(members(['d', -1], ['b', 2.75], ['a', 10]));
      expect(await store().sortedSetRange(key('none'))).toEqual([]);
    });

    it('ranges by rank, ascending and descending, with negative ranks from the end', async () => {
      const z = key('ranks');
      const all = members(['m0', 0], ['m1', 1], ['m2', 2], ['m3', 3], ['m4', 4]);
      await store().write([{ op: 'sortedSetAdd', key: z, members: [...all].reverse() }]);
      const range = async (start: number, stop: number, order: 'asc' | 'desc' = 'asc') =>
        (await store().sortedSetRange(z, { start, stop, order })).map((m) => m.member);

      expect(await store().sortedSetRange(z, { order: 'asc' })).toEqual(all);
      expect(await range(1, 2)).toEqual(['m1', 'm2']);
      expect(await range(0, 1, 'desc')).toEqual(['m4', 'm3']);
      expect(await range(-2, -1)).toEqual(['m3', 'm4']);
      expect(await range(-3, -2, 'desc')).toEqual(['m2', 'm1']);
      expect(await range(0, -2)).toEqual(['m0', 'm1', 'm2', 'm3']);
      expect(await range(-100, 1)).toEqual(['m0', 'm1']);
      expect(await range(3, 100)).toEqual(['m3', 'm4']);
      expect(await range(3, 1)).toEqual([]);
      expect(await range(5, 10)).toEqual([]);
      expect(await range(-1, -2)).toEqual([]);
      expect(await store().sortedSetRange(z, { start: 4, order: 'desc' })).toEqual(
        members(['m0', 0]),
      );
    });

    it('orders equal scores by member bytes (UTF-8), descending in reverse', async () => {
      const z = key('ties');
      // UTF-16 order would put '😀' before '\uFFFD'; Redis compares UTF-8 bytes.
      const names = ['b', '😀', 'a', '\uFFFD', 'é', 'Z', 'ab'];
      await store().write([
        { op: 'sortedSetAdd', key: z, members: names.map((member) => ({ member, score: 1 })) },
        { op: 'sortedSetAdd', key: z, members: members(['low', 0], ['high', 2]) },
      ]);
      const ascending = ['low', 'Z', 'a', 'ab', 'b', 'é', '\uFFFD', '😀', 'high'];
      expect((await store().sortedSetRange(z)).map((m) => m.member)).toEqual(ascending);
      const descending = await store().sortedSetRange(z, { order: 'desc' });
      expect(descending.map((m) => m.member)).toEqual([...ascending].reverse());
    });

    it('reads a key of another kind as an absent sorted set', async () => {
      await store().write([{ op: 'hashSet', key: key('h'), fields: { m: '1' } }]);
      expect(await store().sortedSetRange(key('h'))).toEqual([]);
      expect(await store().sortedSetScore(key('h'), 'm')).toBeUndefined();
      await expect(
        store().write([{ op: 'sortedSetAdd', key: key('h'), members: members(['m', 1]) }]),
      ).rejects.toEqual(refused(/holds a hash/));
    });
  });
}

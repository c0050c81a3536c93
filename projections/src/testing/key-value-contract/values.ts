import { describe, expect, it } from 'vitest';
import { refused, set, sleep, type KeyValueContext } from './context.js';

/** Plain values: get, getMany, set, delete, expiry, and counters. */
export function plainValueCases({ store, key }: KeyValueContext): void {
  describe('plain values', () => {
    it('answers undefined for absent keys and the values of present ones, in order', async () => {
      await store().write([set(key('a'), 'alpha'), set(key('b'), '')]);
      expect(await store().get(key('a'))).toBe('alpha');
      expect(await store().get(key('b'))).toBe('');
      expect(await store().get(key('missing'))).toBeUndefined();
      expect(await store().getMany([key('b'), key('missing'), key('a'), key('a')])).toEqual([
        '',
        undefined,
        'alpha',
        'alpha',
      ]);
      expect(await store().getMany([])).toEqual([]);
    });

    it('reads through an index key: the reference, and the value it points at', async () => {
      await store().write([
        set(key('id:ada'), 'p-1'),
        set(key('profile:p-1'), '{"name":"Ada"}'),
        set(key('id:grace'), 'p-2'),
        { op: 'hashSet', key: key('id:hash'), fields: { f: 'v' } },
        set(key('id:to-hash'), 'h'),
        { op: 'hashSet', key: key('profile:h'), fields: { f: 'v' } },
      ]);
      const through = (name: string) => store().getThrough(key(name), key('profile:'));
      expect(await through('id:ada')).toEqual({ reference: 'p-1', value: '{"name":"Ada"}' });
      expect(await through('id:grace')).toEqual({ reference: 'p-2' });
      expect(await through('id:missing')).toEqual({});
      expect(await through('id:hash')).toEqual({});
      expect(await through('id:to-hash')).toEqual({ reference: 'h' });
    });

    it('overwrites on set and forgets on delete', async () => {
      await store().write([set(key('k'), 'one')]);
      await store().write([set(key('k'), 'two')]);
      expect(await store().get(key('k'))).toBe('two');
      await store().write([
        { op: 'delete', key: key('k') },
        { op: 'delete', key: key('never') },
      ]);
      expect(await store().get(key('k'))).toBeUndefined();
    });

    it('answers undefined for a key that holds a hash or a sorted set', async () => {
      await store().write([
        { op: 'hashSet', key: key('h'), fields: { f: 'v' } },
        { op: 'sortedSetAdd', key: key('z'), members: [{ member: 'm', score: 1 }] },
      ]);
      expect(await store().get(key('h'))).toBeUndefined();
      expect(await store().getMany([key('h'), key('z')])).toEqual([undefined, undefined]);
    });

    // The one test that waits for real time: ttlSeconds is whole seconds on every adapter.
    it('expires values and counters after their ttl, without sliding the window', async () => {
      await store().write([set(key('ttl'), 'brief', 1), set(key('kept'), 'x', 1)]);
      await store().write([set(key('kept'), 'y'), set(key('plain'), 'stays')]);
      await store().write([
        set(key('id:brief'), 'p-1', 1),
        set(key('profile:p-1'), 'lasting'),
        set(key('id:lasting'), 'p-2'),
        set(key('profile:p-2'), 'brief', 1),
      ]);
      const through = (name: string) => store().getThrough(key(name), key('profile:'));
      expect(await through('id:brief')).toEqual({ reference: 'p-1', value: 'lasting' });
      expect(await through('id:lasting')).toEqual({ reference: 'p-2', value: 'brief' });
      expect(await store().incrBy(key('window'), 1, { ttlSeconds: 1 })).toBe(1);
      await store().incrBy(key('late'), 1);
      expect(await store().incrBy(key('late'), 1, { ttlSeconds: 1 })).toBe(2);
      expect(await store().get(key('ttl'))).toBe('brief');

      await sleep(600);
      // A second hit inside the window keeps the window's end (a rate-limit bucket must reset).
      expect(await store().incrBy(key('window'), 1, { ttlSeconds: 1 })).toBe(2);
      await sleep(650);

      expect(await store().get(key('ttl'))).toBeUndefined();
      expect(await store().get(key('window'))).toBeUndefined();
      expect(await store().get(key('late'))).toBeUndefined();
      expect(await store().getMany([key('kept'), key('plain')])).toEqual(['y', 'stays']);
      expect(await store().incrBy(key('window'), 5)).toBe(5);
      // Reading through: an expired index key hides its value; an expired value leaves the reference.
      expect(await through('id:brief')).toEqual({});
      expect(await through('id:lasting')).toEqual({ reference: 'p-2' });
    });
  });

  describe('counters', () => {
    it('increments from 0, by negative amounts too, and returns the new value', async () => {
      expect(await store().incrBy(key('c'), 5)).toBe(5);
      expect(await store().incrBy(key('c'), -7)).toBe(-2);
      expect(await store().incrBy(key('c'), 0)).toBe(-2);
      expect(await store().get(key('c'))).toBe('-2');
      await store().write([set(key('answer'), '41')]);
      expect(await store().incrBy(key('answer'), 1)).toBe(42);
    });

    it('refuses values that are not integers, as Redis INCRBY does, and keeps them', async () => {
      for (const value of ['abc', '1.5', '007', ' 1', '+1', '-0', '']) {
        await store().write([set(key('v'), value)]);
        await expect(store().incrBy(key('v'), 1)).rejects.toEqual(refused(/not an integer/));
        expect(await store().get(key('v'))).toBe(value);
      }
    });

    it('refuses increments that are not integers or leave the safe integers', async () => {
      await expect(store().incrBy(key('n'), 1.5)).rejects.toThrow(/integer/);
      await store().write([set(key('max'), String(Number.MAX_SAFE_INTEGER))]);
      await expect(store().incrBy(key('max'), 1)).rejects.toEqual(refused(/safe integer/));
      expect(await store().incrBy(key('max'), -1)).toBe(Number.MAX_SAFE_INTEGER - 1);
      await expect(store().incrBy(key('t'), 1, { ttlSeconds: 0 })).rejects.toThrow(/ttl/);
      expect(await store().get(key('n'))).toBeUndefined();
    });

    it('refuses to count on a hash or a sorted set', async () => {
      await store().write([{ op: 'hashSet', key: key('h'), fields: { f: '1' } }]);
      await expect(store().incrBy(key('h'), 1)).rejects.toEqual(refused(/holds a hash/));
      expect(await store().hashGetAll(key('h'))).toEqual({ f: '1' });
    });
  });
}

import { describe, expect, it } from 'vitest';
import type { KeyValueWrite } from '../../ports/key-value.port.js';
import { refused, set, type KeyValueContext } from './context.js';

/** `write`: in order, one kind per key, all or none. */
export function batchCases({ store, key }: KeyValueContext): void {
  /** Everything the failing batches below could have touched, to show none of it changed. */
  const snapshot = async () => ({
    values: await store().getMany([key('v'), key('n'), key('fresh')]),
    hash: await store().hashGetAll(key('h')),
    ranks: await store().sortedSetRange(key('z')),
  });
  const seed = async () => {
    await store().write([
      set(key('v'), 'before'),
      set(key('n'), '1'),
      { op: 'hashSet', key: key('h'), fields: { name: 'Ada', visits: '1' } },
      { op: 'sortedSetAdd', key: key('z'), members: [{ member: 'm', score: 1 }] },
    ]);
    return snapshot();
  };
  /** A batch whose last writes fail, after writes to every kind of key. */
  const failingAfterWrites = (failing: readonly KeyValueWrite[]): KeyValueWrite[] => [
    set(key('v'), 'after'),
    set(key('fresh'), 'new'),
    { op: 'incrBy', key: key('n'), by: 1 },
    { op: 'hashSet', key: key('h'), fields: { name: 'Grace' } },
    { op: 'hashIncrBy', key: key('h'), field: 'visits', by: 1 },
    { op: 'sortedSetAdd', key: key('z'), members: [{ member: 'm2', score: 2 }] },
    { op: 'sortedSetRemove', key: key('z'), members: ['m'] },
    ...failing,
  ];

  describe('write batches', () => {
    it('applies mixed writes in order', async () => {
      await store().write([
        set(key('v'), 'first'),
        set(key('v'), 'second'),
        set(key('n'), '10'),
        { op: 'incrBy', key: key('n'), by: 1 },
        { op: 'hashSet', key: key('h'), fields: { a: '1', b: '2' } },
        { op: 'hashIncrBy', key: key('h'), field: 'a', by: 4 },
        { op: 'hashDelete', key: key('h'), fields: ['b'] },
        { op: 'sortedSetAdd', key: key('z'), members: [{ member: 'x', score: 1 }] },
        { op: 'sortedSetIncrBy', key: key('z'), member: 'x', by: 2 },
        set(key('gone'), 'soon'),
        { op: 'delete', key: key('gone') },
        { op: 'hashSet', key: key('empty'), fields: {} },
        { op: 'sortedSetAdd', key: key('empty'), members: [] },
      ]);
      expect(await store().getMany([key('v'), key('n'), key('gone')])).toEqual([
        'second',
        '11',
        undefined,
      ]);
      expect(await store().hashGetAll(key('h'))).toEqual({ a: '5' });
      expect(await store().sortedSetRange(key('z'))).toEqual([{ member: 'x', score: 3 }]);
      await store().write([]);
    });

    it('lets set replace a hash or a sorted set, and delete remove any kind', async () => {
      await store().write([
        { op: 'hashSet', key: key('h'), fields: { f: 'v' } },
        { op: 'sortedSetAdd', key: key('z'), members: [{ member: 'm', score: 1 }] },
      ]);
      await store().write([set(key('h'), 'plain'), { op: 'delete', key: key('z') }]);
      expect(await store().get(key('h'))).toBe('plain');
      expect(await store().hashGetAll(key('h'))).toEqual({});
      expect(await store().sortedSetRange(key('z'))).toEqual([]);
      await store().write([{ op: 'sortedSetAdd', key: key('z'), members: [] }]);
    });

    it('judges each write on the state the earlier writes of its batch left', async () => {
      // An emptied hash no longer exists, so the key may become a sorted set (as in Redis).
      await store().write([
        { op: 'hashSet', key: key('k'), fields: { a: '1' } },
        { op: 'hashDelete', key: key('k'), fields: ['a'] },
        { op: 'sortedSetAdd', key: key('k'), members: [{ member: 'm', score: 1 }] },
        set(key('p'), 'plain'),
        { op: 'delete', key: key('p') },
        { op: 'hashIncrBy', key: key('p'), field: 'f', by: 2 },
      ]);
      expect(await store().sortedSetRange(key('k'))).toEqual([{ member: 'm', score: 1 }]);
      expect(await store().hashGetAll(key('p'))).toEqual({ f: '2' });
    });

    const refusals: [string, (k: (name: string) => string) => KeyValueWrite[], RegExp][] = [
      [
        'a non-integer hash field',
        (k) => [{ op: 'hashIncrBy', key: k('h'), field: 'name', by: 1 }],
        /not an integer/,
      ],
      [
        'a value set non-integer earlier in the batch',
        (k) => [set(k('v'), 'abc'), { op: 'incrBy', key: k('v'), by: 1 }],
        /not an integer/,
      ],
      [
        'a counter leaving the safe integers',
        (k) => [
          { op: 'incrBy', key: k('c'), by: Number.MAX_SAFE_INTEGER },
          { op: 'incrBy', key: k('c'), by: 1 },
        ],
        /safe integer/,
      ],
      [
        'a hash write to a plain value',
        (k) => [{ op: 'hashSet', key: k('v'), fields: { a: '1' } }],
        /holds a plain value/,
      ],
      [
        'a sorted-set write to a hash',
        (k) => [{ op: 'sortedSetIncrBy', key: k('h'), member: 'm', by: 1 }],
        /holds a hash/,
      ],
      [
        'a counter on a sorted set',
        (k) => [{ op: 'incrBy', key: k('z'), by: 1 }],
        /holds a sorted set/,
      ],
      [
        'a hash write after set in the batch',
        (k) => [
          { op: 'hashSet', key: k('x'), fields: { a: '1' } },
          set(k('x'), 'plain'),
          { op: 'hashDelete', key: k('x'), fields: ['a'] },
        ],
        /holds a plain value/,
      ],
    ];
    for (const [title, failing, message] of refusals) {
      it(`applies none of a batch that ends with ${title}`, async () => {
        const before = await seed();
        await expect(store().write(failingAfterWrites(failing(key)))).rejects.toEqual(
          refused(message),
        );
        expect(await snapshot()).toEqual(before);
        expect(await store().getMany([key('c'), key('x')])).toEqual([undefined, undefined]);
      });
    }

    it('checks every argument before writing anything', async () => {
      const before = await seed();
      const invalid: KeyValueWrite[] = [
        { op: 'sortedSetAdd', key: key('z'), members: [{ member: 'm', score: Number.NaN }] },
        { op: 'sortedSetIncrBy', key: key('z'), member: 'm', by: Infinity },
        { op: 'incrBy', key: key('n'), by: 0.5 },
        { op: 'hashIncrBy', key: key('h'), field: 'visits', by: 2 ** 60 },
        set(key('v'), 'x', 0),
        set(key('v'), 'x', 1.5),
      ];
      for (const write of invalid) {
        await expect(store().write([set(key('fresh'), 'new'), write])).rejects.toThrow();
      }
      expect(await snapshot()).toEqual(before);
    });
  });
}

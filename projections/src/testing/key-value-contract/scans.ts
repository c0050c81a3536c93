import { describe, expect, it } from 'vitest';
import type { KeyValueWrite } from '../../ports/key-value.port.js';
import { scanned, set, type KeyValueContext } from './context.js';

/** scanPrefix, deletePrefix, and the data an adapter must keep byte for byte. */
export function scanCases({ store, key, prefix }: KeyValueContext): void {
  describe('prefixes', () => {
    it('scans and deletes thousands of keys of every kind under a prefix only', async () => {
      const bulk: KeyValueWrite[] = Array.from({ length: 5000 }, (_, n) =>
        set(key(`user:${n}`), String(n)),
      );
      await store().write(bulk);
      await store().write([
        { op: 'hashSet', key: key('user:h'), fields: { f: 'v' } },
        { op: 'sortedSetAdd', key: key('user:z'), members: [{ member: 'm', score: 1 }] },
        set(key('users'), 'sibling'),
        set(key('usex:1'), 'neighbour'),
      ]);

      const keys = await scanned(store(), key('user:'));
      expect(keys).toHaveLength(5002);
      expect(keys).toContain(key('user:4999'));
      expect(keys).toContain(key('user:h'));
      expect(keys).toContain(key('user:z'));

      expect(await store().deletePrefix(key('user:'))).toBe(5002);
      expect(await scanned(store(), key('user:'))).toEqual([]);
      expect(await store().getMany([key('user:0'), key('users'), key('usex:1')])).toEqual([
        undefined,
        'sibling',
        'neighbour',
      ]);
      expect(await store().deletePrefix(key('user:'))).toBe(0);
    });

    it('takes glob characters in a prefix literally', async () => {
      await store().write([
        set(key('a*[b]?\\c:1'), 'literal'),
        set(key('aX[b]?\\c:2'), 'star'),
        set(key('a*b?\\c:3'), 'brackets'),
        set(key('a*[b]x\\c:4'), 'question mark'),
        set(key('a*[b]?c:5'), 'backslash'),
      ]);
      expect(await scanned(store(), key('a*[b]?\\c'))).toEqual([key('a*[b]?\\c:1')]);
      expect(await store().deletePrefix(key('a*[b]?\\'))).toBe(1);
      expect(await scanned(store(), prefix())).toHaveLength(4);
    });

    it('lists every key of the test under its prefix, and nothing of other tests', async () => {
      await store().write([set(key('one'), '1'), { op: 'incrBy', key: key('two'), by: 2 }]);
      expect(await scanned(store(), prefix())).toEqual([key('one'), key('two')]);
      expect(await scanned(store(), `${prefix()}zzz`)).toEqual([]);
    });
  });

  describe('data kept exactly', () => {
    it('round-trips unicode keys, fields, members and values', async () => {
      const profile = key('profil:é:東京:🚀');
      const value = 'Zoë 李 😀 مرحبا a\u0000b x\u00e9\u0301 \u2028';
      await store().write([
        set(profile, value),
        { op: 'hashSet', key: key('h:ü'), fields: { 'traït 🎯': 'vàlue 🍕' } },
        { op: 'sortedSetAdd', key: key('z:ß'), members: [{ member: 'mémbre 🥇', score: 1 }] },
      ]);
      expect(await store().get(profile)).toBe(value);
      expect(await store().hashGetAll(key('h:ü'))).toEqual({ 'traït 🎯': 'vàlue 🍕' });
      expect(await store().sortedSetScore(key('z:ß'), 'mémbre 🥇')).toBe(1);
      expect(await scanned(store(), key('profil:é'))).toEqual([profile]);
      expect(await scanned(store(), key('profil:e'))).toEqual([]);
    });

    it('round-trips a 1 MB value', async () => {
      const chunk = 'profile-json-{"a":1}-é-😀-';
      // Whole chunks only: cutting a surrogate pair would not survive UTF-8 on any store.
      const big = chunk.repeat(Math.ceil((1024 * 1024) / chunk.length));
      await store().write([set(key('big'), big)]);
      const read = await store().get(key('big'));
      expect(read?.length).toBe(big.length);
      expect(read === big).toBe(true);
    });
  });
}

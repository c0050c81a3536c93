import { describe, expect, it } from 'vitest';
import { MemoryPluginStore } from './memory-store.js';

/** A store on a clock the test moves. */
function storeAt(startMs = Date.UTC(2026, 10, 29, 10)) {
  const clock = { now: startMs };
  const store = new MemoryPluginStore({}, () => clock.now);
  return { store, advance: (seconds: number) => void (clock.now += seconds * 1000) };
}

describe('MemoryPluginStore', () => {
  it('keeps JSON values and hands out copies', async () => {
    const { store } = storeAt();
    const value = { company: 'acme.co.uk', users: ['u-1'] };
    await store.set('company:acme', value);
    value.users.push('u-2');
    const read = await store.get<typeof value>('company:acme');
    expect(read).toEqual({ company: 'acme.co.uk', users: ['u-1'] });
    read?.users.push('u-3');
    expect(await store.get('company:acme')).toEqual({ company: 'acme.co.uk', users: ['u-1'] });
    expect(await store.get('nothing')).toBeUndefined();
  });

  it('forgets a key once its TTL has passed, and not before', async () => {
    const { store, advance } = storeAt();
    await store.set('seen:e-1', true, { ttlSeconds: 60 });
    advance(59);
    expect(await store.get('seen:e-1')).toBe(true);
    advance(1);
    expect(await store.get('seen:e-1')).toBeUndefined();
    expect(store.snapshot()).toEqual({});
  });

  it('replaces the TTL on set, keeps it on increment', async () => {
    const { store, advance } = storeAt();
    await store.set('count', 1, { ttlSeconds: 10 });
    await store.set('count', 1);
    advance(3600);
    expect(await store.get('count')).toBe(1);
    await store.set('window', 0, { ttlSeconds: 10 });
    expect(await store.increment('window', 5)).toBe(5);
    advance(10);
    expect(await store.get('window')).toBeUndefined();
  });

  it('increments from 0 and refuses to increment what is not a number', async () => {
    const { store } = storeAt();
    expect(await store.increment('identifies:acme.co.uk')).toBe(1);
    expect(await store.increment('identifies:acme.co.uk', 2)).toBe(3);
    await store.set('name', 'Acme');
    await expect(store.increment('name')).rejects.toThrow(
      'ctx.store.increment("name"): the stored value is not a whole number',
    );
    await expect(store.increment('identifies:acme.co.uk', 0.5)).rejects.toThrow(
      'by must be a whole number (0.5)',
    );
  });

  it('deletes, and refuses what the host store refuses', async () => {
    const { store } = storeAt();
    await store.set('k', 1);
    await store.delete('k');
    expect(store.snapshot()).toEqual({});
    await expect(store.set('k', undefined)).rejects.toThrow('the value is not JSON (undefined)');
    await expect(store.set('k', 'x'.repeat(70_000))).rejects.toThrow('more than 65536');
    await expect(store.set('k', 1, { ttlSeconds: 0 })).rejects.toThrow('positive whole number: 0');
    await expect(store.set('k', 1, { ttlSeconds: 1.5 })).rejects.toThrow('positive whole number');
    await expect(store.get('')).rejects.toThrow('a key must be a non-empty string');
    await expect(store.get('k'.repeat(513))).rejects.toThrow('at most 512 characters');
    expect(store.snapshot()).toEqual({});
  });

  it('starts with the initial values, listed in key order by snapshot', async () => {
    const store = new MemoryPluginStore({ 'b:2': 2, 'a:1': { x: 1 } });
    expect(await store.increment('b:2')).toBe(3);
    expect(Object.entries(store.snapshot())).toEqual([
      ['a:1', { x: 1 }],
      ['b:2', 3],
    ]);
  });
});

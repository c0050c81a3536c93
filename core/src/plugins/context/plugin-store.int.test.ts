/**
 * `ctx.store` over the real embedded SQLite key-value store: namespaced per plugin, JSON values,
 * TTL and counters, with the store's own clock moved by the test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteKeyValueStore } from '../../adapters/sqlite/sqlite-key-value-store.js';
import { bridgeUnderTest } from './bridge-under-test.fixture.js';
import { MAX_STORE_VALUE_BYTES, storePrefix } from './plugin-store.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-plugin-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let keyValues: SqliteKeyValueStore;
let now = 1_700_000_000_000;

beforeEach(() => {
  keyValues = SqliteKeyValueStore.open(join(dir, `kv-${now}.db`), { now: () => now });
});
afterEach(async () => {
  await keyValues.close();
  now += 1;
});

const bridgeOf = (plugin: string) => bridgeUnderTest({ plugin, keyValues }).bridge;

describe('a plugin store', () => {
  it('keeps JSON values under the plugin’s own prefix', async () => {
    const crm = bridgeOf('crm');
    await crm.storeSet('contact:ada', { id: 42, tags: ['vip'] });
    expect(await crm.storeGet('contact:ada')).toEqual({ id: 42, tags: ['vip'] });
    expect(await keyValues.get('plugin:crm:store:contact:ada')).toBe('{"id":42,"tags":["vip"]}');
    await crm.storeDelete('contact:ada');
    expect(await crm.storeGet('contact:ada')).toBeUndefined();
  });

  it('never lets one plugin read or change another’s keys', async () => {
    const crm = bridgeOf('crm');
    const geo = bridgeOf('geo');
    await crm.storeSet('token', 'crm-secret');
    await crm.storeIncrement('synced', 3);

    expect(await geo.storeGet('token')).toBeUndefined();
    // Keys that look like paths into another namespace stay inside geo's own.
    expect(await geo.storeGet('../crm:store:token')).toBeUndefined();
    expect(await geo.storeGet('plugin:crm:store:token')).toBeUndefined();
    await geo.storeSet('token', 'geo-own');
    await geo.storeDelete('synced');
    expect(await geo.storeIncrement('synced', 1)).toBe(1);

    expect(await crm.storeGet('token')).toBe('crm-secret');
    expect(await crm.storeGet('synced')).toBe(3);
    const crmKeys: string[] = [];
    for await (const key of keyValues.scanPrefix(storePrefix('crm'))) crmKeys.push(key);
    expect(crmKeys.sort()).toEqual(['plugin:crm:store:synced', 'plugin:crm:store:token']);
  });

  it('forgets a value after its ttlSeconds', async () => {
    const crm = bridgeOf('crm');
    await crm.storeSet('session', 's-1', 60);
    now += 59_999;
    expect(await crm.storeGet('session')).toBe('s-1');
    now += 1;
    expect(await crm.storeGet('session')).toBeUndefined();
    await expect(crm.storeSet('session', 's-2', 1.5)).rejects.toThrow(
      'ctx.store.set: ttlSeconds must be a positive whole number: 1.5',
    );
  });

  it('counts with increment, in whole numbers only', async () => {
    const crm = bridgeOf('crm');
    expect(await crm.storeIncrement('orders', 1)).toBe(1);
    expect(await crm.storeIncrement('orders', 41)).toBe(42);
    expect(await crm.storeGet('orders')).toBe(42);
    await expect(crm.storeIncrement('orders', 0.5)).rejects.toThrow(
      /by must be a whole number \(0\.5\); counters are integers/,
    );
    await crm.storeSet('ratio', 0.25);
    await expect(crm.storeIncrement('ratio', 1)).rejects.toThrow(
      'ctx.store.increment("ratio"): the stored value is not a whole number; increment works on integer counters only',
    );
  });

  it('refuses keys and values over their limits, and values that are not JSON', async () => {
    const crm = bridgeOf('crm');
    await expect(crm.storeSet('k'.repeat(513), 1)).rejects.toThrow(
      'a key is at most 512 characters',
    );
    await expect(crm.storeGet('')).rejects.toThrow('a key must be a non-empty string');
    await crm.storeSet('k'.repeat(512), 1); // The limit itself is fine.
    await expect(crm.storeSet('big', 'x'.repeat(MAX_STORE_VALUE_BYTES))).rejects.toThrow(
      `the value is ${MAX_STORE_VALUE_BYTES + 2} bytes of JSON, more than ${MAX_STORE_VALUE_BYTES}`,
    );
    await expect(crm.storeSet('fn', () => 1)).rejects.toThrow('the value is not JSON (function)');
    await expect(crm.storeSet('n', 10n)).rejects.toThrow(/the value is not JSON/);
  });
});

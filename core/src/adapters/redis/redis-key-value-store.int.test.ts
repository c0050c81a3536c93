/**
 * The KeyValueStore contract against a real Redis (REDIS_URL, default 127.0.0.1:6379). Skips
 * when Redis is down, fails when it is down and CI=true.
 */
import { randomUUID } from 'node:crypto';
import { keyValueContract } from '@uspa/projections/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { requireService } from '../../testing/services.js';
import { escapeGlob, RedisKeyValueStore } from './redis-key-value-store.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** No retries and no offline queue: an unreachable Redis fails the probe at once. */
const connect = (): Redis =>
  new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });

const probe = connect();
const redis = await requireService(`Redis at ${url}`, async () => {
  await probe.connect();
  await probe.ping();
});
afterAll(() => probe.disconnect());

describe.skipIf(!redis.available)('RedisKeyValueStore (real Redis)', () => {
  keyValueContract('redis', async () => {
    const store = RedisKeyValueStore.connect(url);
    return { store, cleanup: () => store.close() };
  });

  // Glob characters in the store's own prefix too: SCAN must take it literally.
  const installPrefix = `uspa-test:${randomUUID()}:[*]?:`;
  keyValueContract('redis with a key prefix', async () => {
    const store = RedisKeyValueStore.connect(url, { keyPrefix: installPrefix });
    return { store, cleanup: () => store.close() };
  });

  it('stores keys behind the prefix and strips it from scans', async () => {
    const client = connect();
    await client.connect();
    const store = new RedisKeyValueStore(client, { keyPrefix: installPrefix });
    await store.write([{ op: 'set', key: 'profile:1', value: 'Ada' }]);

    expect(await client.get(`${installPrefix}profile:1`)).toBe('Ada');
    expect(await client.get('profile:1')).toBeNull();
    const keys: string[] = [];
    for await (const key of store.scanPrefix('profile:')) keys.push(key);
    expect(keys).toEqual(['profile:1']);
    expect(await client.keys(`${escapeGlob(installPrefix)}*`)).toEqual([
      `${installPrefix}profile:1`,
    ]);

    expect(await store.deletePrefix('')).toBe(1);
    await store.close();
    // The store did not own the client: it is still usable.
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('sends its scripts again to a server that has forgotten them', async () => {
    const client = connect();
    await client.connect();
    const store = new RedisKeyValueStore(client, { keyPrefix: installPrefix });
    await client.script('FLUSH');
    await store.write([
      { op: 'set', key: 'id:ada', value: 'p-1' },
      { op: 'set', key: 'profile:p-1', value: 'Ada' },
    ]);
    await client.script('FLUSH');
    expect(await store.getThrough('id:ada', 'profile:')).toEqual({
      reference: 'p-1',
      value: 'Ada',
    });
    expect(await store.deletePrefix('')).toBe(2);
    await client.quit();
  });

  it('fails fast when Redis cannot be reached', async () => {
    const errors: Error[] = [];
    const store = RedisKeyValueStore.connect('redis://127.0.0.1:1', {
      onError: (error) => errors.push(error),
    });
    const started = Date.now();
    await expect(store.get('anything')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(errors[0]?.message).toMatch(/ECONNREFUSED/);
    await store.close();
  });
});

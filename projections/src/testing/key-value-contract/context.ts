import { expect } from 'vitest';
import type { KeyValueStore, KeyValueWrite } from '../../ports/key-value.port.js';

/** What each group of the key-value contract gets: the store and the current test's keys. */
export interface KeyValueContext {
  readonly store: () => KeyValueStore;
  /** The current test's prefix: random, so runs on a shared Redis never see each other's keys. */
  readonly prefix: () => string;
  /** `name` under the current test's prefix. */
  readonly key: (name: string) => string;
}

/** The rejection of a write the stored data refuses: a validation error, in the same words. */
export const refused = (message: RegExp): unknown =>
  expect.objectContaining({
    code: 'validation_failed',
    message: expect.stringMatching(message) as unknown,
  });

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Every key a scan yields, deduplicated (Redis SCAN may repeat one) and sorted. */
export async function scanned(store: KeyValueStore, prefix: string): Promise<string[]> {
  const keys = new Set<string>();
  for await (const key of store.scanPrefix(prefix)) keys.add(key);
  return [...keys].sort();
}

/** A `set` of a plain value, for building batches. */
export const set = (key: string, value: string, ttlSeconds?: number): KeyValueWrite =>
  ttlSeconds === undefined ? { op: 'set', key, value } : { op: 'set', key, value, ttlSeconds };

import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { KeyValueStore } from '../ports/key-value.port.js';
import { batchCases } from './key-value-contract/batches.js';
import type { KeyValueContext } from './key-value-contract/context.js';
import { scanCases } from './key-value-contract/scans.js';
import { structureCases } from './key-value-contract/structures.js';
import { plainValueCases } from './key-value-contract/values.js';

/** Creates the store under test, and undoes whatever creating it did (files, clients). */
export type MakeKeyValueStore = () => Promise<{ store: KeyValueStore; cleanup(): Promise<void> }>;

/**
 * The behaviour every KeyValueStore adapter must show, with the same results on each. Every test
 * works under a random key prefix and deletes it afterwards, so the suite can run against a
 * shared, non-empty Redis. One test waits ~1.3 s of real time for expiry.
 *
 * @example
 * keyValueContract('sqlite file', async () => {
 *   const store = SqliteKeyValueStore.open(join(dir, 'kv.db'));
 *   return { store, cleanup: () => store.close() };
 * });
 */
export function keyValueContract(name: string, makeStore: MakeKeyValueStore): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    let created: Awaited<ReturnType<MakeKeyValueStore>> | undefined;
    let prefix = '';

    beforeAll(async () => {
      created = await makeStore();
    });
    afterAll(async () => {
      await created?.cleanup();
    });
    beforeEach(() => {
      prefix = `kv-contract:${randomUUID()}:`;
    });
    afterEach(async () => {
      await created?.store.deletePrefix(prefix);
    });

    const context: KeyValueContext = {
      store: () => {
        if (!created) throw new Error('The store under test was not created');
        return created.store;
      },
      prefix: () => prefix,
      key: (name) => `${prefix}${name}`,
    };
    plainValueCases(context);
    structureCases(context);
    batchCases(context);
    scanCases(context);
  });
}

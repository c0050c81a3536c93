import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import type { CollectionMapping, DocumentStore } from '../ports/document-store.port.js';
import { collectionCases } from './document-store-contract/collections.cases.js';
import type { ContractContext } from './document-store-contract/context.js';
import { pagingCases } from './document-store-contract/paging.cases.js';
import { PEOPLE, PEOPLE_DOCS, upserts } from './document-store-contract/people.js';
import { queryCases } from './document-store-contract/queries.cases.js';
import { writeCases } from './document-store-contract/writes.cases.js';

/** What {@link documentStoreContract} needs of an adapter: a store, and how to dispose of it. */
export interface DocumentStoreUnderTest {
  store: DocumentStore;
  /** Releases what `makeStore` opened (files, clients); collections are dropped by the suite. */
  cleanup(): Promise<void>;
}

/**
 * The behaviour every DocumentStore adapter must show, with identical results: same matches, same
 * order, same totals and buckets. Every test works in collections of its own with random names,
 * so the suite can run against a shared OpenSearch cluster. The cases live in
 * `document-store-contract/`, one file per concern.
 *
 * @example
 * documentStoreContract('sqlite', async () => {
 *   const store = SqliteDocumentStore.open(join(dir, 'documents.db'));
 *   return { store, cleanup: () => store.close() };
 * });
 */
export function documentStoreContract(
  name: string,
  makeStore: () => Promise<DocumentStoreUnderTest>,
): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let underTest: DocumentStoreUnderTest | undefined;
    const created: string[] = [];

    const ctx: ContractContext = {
      get store() {
        if (underTest === undefined) throw new Error('The DocumentStore is not open yet');
        return underTest.store;
      },
      unique: (base = 'c') => `uspa-contract-${base}-${randomUUID().slice(0, 8)}`,
      track: (...names) => created.push(...names),
      async collection(mapping: CollectionMapping = PEOPLE) {
        const collection = ctx.unique();
        await ctx.store.createCollection(collection, mapping);
        created.push(collection);
        return collection;
      },
      async people() {
        const collection = await ctx.collection();
        await ctx.store.write(upserts(collection, PEOPLE_DOCS));
        return collection;
      },
    };

    beforeAll(async () => {
      underTest = await makeStore();
    });
    afterAll(async () => {
      if (underTest === undefined) return;
      for (const collection of created) await underTest.store.dropCollection(collection);
      await underTest.cleanup();
    });

    collectionCases(ctx);
    writeCases(ctx);
    queryCases(ctx);
    pagingCases(ctx);
  });
}

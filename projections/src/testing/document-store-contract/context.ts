import type { CollectionMapping, DocumentStore } from '../../ports/document-store.port.js';

/** What the case files of the DocumentStore contract share. */
export interface ContractContext {
  /** The store under test; read it inside tests and hooks, once the suite has opened it. */
  readonly store: DocumentStore;
  /** A collection name no other test or run uses. */
  unique(base?: string): string;
  /** Drops these collections after the suite: for those a test creates itself. */
  track(...names: string[]): void;
  /** A new, empty collection, dropped after the suite. */
  collection(mapping?: CollectionMapping): Promise<string>;
  /** A new collection holding the people of `people.fixture.ts`. */
  people(): Promise<string>;
}

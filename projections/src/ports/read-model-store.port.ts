import type { DocumentStore, DocumentWrite } from './document-store.port.js';
import type { KeyValueStore, KeyValueWrite } from './key-value.port.js';

/**
 * The read side's storage as the projection runtime sees it: both stores, plus a commit that
 * stores a projection's checkpoint together with the writes of the batch it processed.
 *
 * - Embedded: documents, key-values and the checkpoint share one SQLite database and one
 *   transaction, so a crash leaves either all of a batch or none of it.
 * - Scale-out: the documents go to OpenSearch in one bulk request first, then the key-values
 *   and the checkpoint in one Redis MULTI. A crash in between replays the batch; projections
 *   make that harmless (whole-document upserts, per-document positions).
 */
export const READ_MODEL_STORE = Symbol('ReadModelStore');

export interface ReadModelChanges {
  documents: readonly DocumentWrite[];
  keyValues: readonly KeyValueWrite[];
  /** The checkpoint to store with the writes: the last global position the batch covered. */
  checkpoint?: { name: string; position: number };
}

export interface ReadModelStore {
  readonly documents: DocumentStore;
  readonly keyValues: KeyValueStore;
  commit(changes: ReadModelChanges): Promise<void>;
  /** The stored checkpoint of `name`, or undefined when it never committed. */
  loadCheckpoint(name: string): Promise<number | undefined>;
  deleteCheckpoint(name: string): Promise<void>;
  /**
   * Resolves once everything committed so far can be read through another connection to the
   * same storage. Absent where a commit is readable as soon as it resolves.
   */
  written?(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

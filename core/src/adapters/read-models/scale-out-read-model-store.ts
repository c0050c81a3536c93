import type {
  DocumentStore,
  KeyValueStore,
  ReadModelChanges,
  ReadModelStore,
} from '@uspa/projections';

const checkpointKey = (name: string): string => `checkpoint:${name}`;

/**
 * The scale-out read side: documents in OpenSearch, key-values in Redis. A commit writes the
 * documents first (one bulk request), then the key-values and the checkpoint in one atomic
 * Redis batch. A crash in between replays the batch: documents are whole-document upserts, and
 * the key-values (the projections' own state) had not moved, so the replay lands the same.
 */
export class ScaleOutReadModelStore implements ReadModelStore {
  constructor(
    readonly documents: DocumentStore,
    readonly keyValues: KeyValueStore,
  ) {}

  async commit(changes: ReadModelChanges): Promise<void> {
    if (changes.documents.length > 0) await this.documents.write(changes.documents);
    const writes = changes.checkpoint
      ? [
          ...changes.keyValues,
          {
            op: 'set' as const,
            key: checkpointKey(changes.checkpoint.name),
            value: String(changes.checkpoint.position),
          },
        ]
      : changes.keyValues;
    if (writes.length > 0) await this.keyValues.write(writes);
  }

  async loadCheckpoint(name: string): Promise<number | undefined> {
    const value = await this.keyValues.get(checkpointKey(name));
    return value === undefined ? undefined : Number(value);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    await this.keyValues.write([{ op: 'delete', key: checkpointKey(name) }]);
  }

  async ping(): Promise<void> {
    await Promise.all([this.documents.ping(), this.keyValues.ping()]);
  }

  async close(): Promise<void> {
    await Promise.all([this.documents.close(), this.keyValues.close()]);
  }
}

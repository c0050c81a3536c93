import type Database from 'better-sqlite3';
import type { ReadModelChanges, ReadModelStore } from '@uspa/projections';
import { SqliteDocumentStore } from './sqlite-document-store.js';
import { SqliteKeyValueStore } from './sqlite-key-value-store.js';
import { openReadModelDatabase } from './sqlite-read-model-database.js';
import { CheckpointedWrites, WalCheckpointer } from './wal-checkpointer.js';
import type { WalCheckpointOptions } from './wal-checkpoints.js';

/**
 * The embedded read side: documents, key-values and projection checkpoints in one SQLite file,
 * so a projection's batch and its checkpoint commit in one transaction (design §3, §7).
 *
 * @example
 * const readModels = SqliteReadModelStore.open('data/read-models.sqlite');
 */
export class SqliteReadModelStore implements ReadModelStore {
  readonly documents: SqliteDocumentStore;
  readonly keyValues: SqliteKeyValueStore;
  readonly #commit: (changes: ReadModelChanges) => void;
  readonly #load: Database.Statement<[string], { position: number }>;
  readonly #delete: Database.Statement<[string]>;
  readonly #checkpointed: CheckpointedWrites | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly checkpointer?: WalCheckpointer,
  ) {
    this.documents = new SqliteDocumentStore(db);
    this.keyValues = new SqliteKeyValueStore(db);
    db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
      name TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
    const save = db.prepare(
      `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    );
    this.#load = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?');
    this.#delete = db.prepare('DELETE FROM projection_checkpoints WHERE name = ?');
    this.#commit = db.transaction((changes: ReadModelChanges) => {
      this.documents.applyWritesSync(changes.documents);
      this.keyValues.applyWritesSync(changes.keyValues);
      if (changes.checkpoint) {
        save.run(changes.checkpoint.name, changes.checkpoint.position, Date.now());
      }
    });
    this.#checkpointed = checkpointer && new CheckpointedWrites(db, checkpointer.shared);
  }

  /**
   * Opens the file with a checkpointer thread beside it: projections commit on the event loop,
   * and copying their WAL into the file there would hold it up for the length of the copy.
   */
  static open(file: string, checkpoints: WalCheckpointOptions = {}): SqliteReadModelStore {
    const db = openReadModelDatabase(file);
    return new SqliteReadModelStore(
      db,
      file === ':memory:' ? undefined : WalCheckpointer.start(file, checkpoints),
    );
  }

  commit(changes: ReadModelChanges): Promise<void> {
    this.#commit(changes);
    this.#checkpointed?.afterCommit();
    return Promise.resolve();
  }

  loadCheckpoint(name: string): Promise<number | undefined> {
    return Promise.resolve(this.#load.get(name)?.position);
  }

  deleteCheckpoint(name: string): Promise<void> {
    this.#delete.run(name);
    return Promise.resolve();
  }

  ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }
}

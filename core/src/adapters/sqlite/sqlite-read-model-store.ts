import type Database from 'better-sqlite3';
import type { ReadModelChanges, ReadModelStore } from '@uspa/projections';
import { SqliteDocumentStore } from './sqlite-document-store.js';
import { SqliteKeyValueStore } from './sqlite-key-value-store.js';
import { openReadModelDatabase } from './sqlite-read-model-database.js';

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

  constructor(private readonly db: Database.Database) {
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
  }

  static open(file: string): SqliteReadModelStore {
    return new SqliteReadModelStore(openReadModelDatabase(file));
  }

  commit(changes: ReadModelChanges): Promise<void> {
    this.#commit(changes);
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

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}

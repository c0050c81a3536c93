import type Database from 'better-sqlite3';
import type { ReadModelChanges, ReadModelStore } from '@uspa/projections';
import { DocumentJournal } from './document-journal.js';
import { SqliteDocumentStore } from './sqlite-document-store.js';
import { SqliteKeyValueStore } from './sqlite-key-value-store.js';
import { SqliteDocumentFileStore, type DocumentWriterMode } from './sqlite-document-file-store.js';
import { openReadModelDatabase, removeDatabaseFiles } from './sqlite-read-model-database.js';
import { CheckpointedWrites, WalCheckpointer } from './wal-checkpointer.js';
import type { WalCheckpointOptions } from './wal-checkpoints.js';

/** Characters of documents a commit may leave queued for the writer thread without waiting. */
const MAX_DOCUMENT_BACKLOG = 8 * 1024 * 1024;

/** Where a commit's documents go: into its own transaction, or journalled to their own file. */
type Documents =
  { sameFile: SqliteDocumentStore } | { file: SqliteDocumentFileStore; journal: DocumentJournal };

export interface SqliteReadModelOptions extends WalCheckpointOptions {
  /** Who writes the documents file (default `thread`); see {@link DocumentWriterMode}. */
  documentWriter?: DocumentWriterMode;
}

/**
 * The embedded read side: key-values and projection checkpoints in one SQLite file, so a
 * projection's batch and its checkpoint commit in one transaction (design §3, §7).
 *
 * Documents live in a file beside it (`read-models-documents.sqlite` next to
 * `read-models.sqlite`), written by a thread of their own: indexing a profile costs more than the
 * rest of its update, and on the event loop it held up ingestion and realtime delivery. A commit
 * journals its documents in its own transaction and hands them to that thread without waiting; a
 * restart applies the journal entries the documents file lacks, so a crash loses nothing. Reads
 * of documents wait for the writes sent before them. With the inline writer (a one-off rebuild),
 * a commit writes its documents itself, before its transaction and without a journal entry. A
 * file written by an earlier version, which holds its documents itself, keeps them there, written
 * in the commit's transaction, as does `:memory:`.
 *
 * @example
 * const readModels = SqliteReadModelStore.open('data/read-models.sqlite');
 */
export class SqliteReadModelStore implements ReadModelStore {
  readonly documents: SqliteDocumentStore | SqliteDocumentFileStore;
  readonly keyValues: SqliteKeyValueStore;
  readonly #documents: Documents;
  readonly #commit: (changes: ReadModelChanges, journalled: string | undefined) => number;
  readonly #load: Database.Statement<[string], { position: number }>;
  readonly #delete: Database.Statement<[string]>;
  readonly #checkpointed: CheckpointedWrites | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly checkpointer?: WalCheckpointer,
    documentFile?: SqliteDocumentFileStore,
    private readonly onProblem?: (problem: string) => void,
  ) {
    const sameFile = documentFile ? undefined : new SqliteDocumentStore(db);
    this.#documents = sameFile
      ? { sameFile }
      : { file: documentFile!, journal: new DocumentJournal(db) };
    this.documents = sameFile ?? documentFile!;
    this.keyValues = new SqliteKeyValueStore(db);
    db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
      name TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
    const save = db.prepare(
      `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    );
    this.#load = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?');
    this.#delete = db.prepare('DELETE FROM projection_checkpoints WHERE name = ?');
    const documents = this.#documents;
    this.#commit = db.transaction((changes: ReadModelChanges, journalled: string | undefined) => {
      let seq = 0;
      if ('sameFile' in documents) documents.sameFile.applyWritesSync(changes.documents);
      else {
        if (journalled !== undefined) seq = documents.journal.add(journalled);
        documents.journal.trim(documents.file.appliedSeq);
      }
      this.keyValues.applyWritesSync(changes.keyValues);
      if (changes.checkpoint) {
        save.run(changes.checkpoint.name, changes.checkpoint.position, Date.now());
      }
      return seq;
    });
    this.#checkpointed = checkpointer && new CheckpointedWrites(db, checkpointer.shared);
  }

  /**
   * Opens the file with a checkpointer thread beside it: projections commit on the event loop,
   * and copying their WAL into the file there would hold it up for the length of the copy.
   */
  static open(file: string, options: SqliteReadModelOptions = {}): SqliteReadModelStore {
    const db = openReadModelDatabase(file);
    if (file === ':memory:') return new SqliteReadModelStore(db);
    const { documentWriter = 'thread', ...checkpoints } = options;
    const checkpointer = WalCheckpointer.start(file, checkpoints);
    if (holdsDocuments(db)) return new SqliteReadModelStore(db, checkpointer);
    // Documents left beside a read-model file that was removed (to rebuild from scratch) belong
    // to state that is gone: the projections rebuild them.
    if (isEmpty(db)) removeDatabaseFiles(documentsFileOf(file));
    const store = new SqliteReadModelStore(
      db,
      checkpointer,
      SqliteDocumentFileStore.open(documentsFileOf(file), {
        writer: documentWriter,
        onProblem: checkpoints.onProblem,
      }),
      checkpoints.onProblem,
    );
    store.#applyJournal();
    return store;
  }

  /**
   * Stores the writes and the checkpoint in one transaction. With a documents file, the
   * documents are checked here, journalled in that transaction and sent to their writer after
   * it: the returned promise does not wait for them (reads of documents do), unless the writer
   * thread is far behind. An inline writer gets them before that transaction, unjournalled.
   */
  async commit(changes: ReadModelChanges): Promise<void> {
    const documents = this.#documents;
    const file = 'file' in documents && changes.documents.length > 0 ? documents.file : undefined;
    file?.checkWrites(changes.documents);
    // Nothing runs beside an inline writer, so the documents go first, durably, and need no
    // journal: a crash before the transaction below leaves them ahead of the checkpoint, and the
    // batches replayed from there write them again (as on OpenSearch + Redis). The journal would
    // cost more than the writes: each document serialised, stored, and parsed back.
    if (file?.writesInline) file.writeNow(changes.documents);
    const journalled = file && !file.writesInline ? JSON.stringify(changes.documents) : undefined;
    const seq = this.#commit(changes, journalled);
    this.#checkpointed?.afterCommit();
    if (file === undefined || journalled === undefined) return;
    this.#sendJournalled(file, seq, journalled);
    await file.backlog(MAX_DOCUMENT_BACKLOG);
  }

  /** The journal entries the documents file lacks (after a crash), before any new commit. */
  #applyJournal(): void {
    const documents = this.#documents;
    if ('sameFile' in documents) return;
    for (const { seq, writes } of documents.journal.unapplied(documents.file.appliedSeq)) {
      this.#sendJournalled(documents.file, seq, writes);
    }
  }

  #sendJournalled(file: SqliteDocumentFileStore, seq: number, writes: string): void {
    file.sendJournalled(seq, writes).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.onProblem?.(`documents of a commit could not be written: ${reason}`);
    });
  }

  loadCheckpoint(name: string): Promise<number | undefined> {
    return Promise.resolve(this.#load.get(name)?.position);
  }

  deleteCheckpoint(name: string): Promise<void> {
    this.#delete.run(name);
    return Promise.resolve();
  }

  /** Documents go to their file after the commit, on the writer thread: waits for them. */
  async written(): Promise<void> {
    if ('file' in this.#documents) await this.#documents.file.written();
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
    await this.documents.ping();
  }

  async close(): Promise<void> {
    await this.documents.close();
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }
}

function isEmpty(db: Database.Database): boolean {
  return db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() === 0;
}

/** A file an earlier version wrote keeps its documents in itself. */
function holdsDocuments(db: Database.Database): boolean {
  const found = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'document_collections'")
    .get();
  return found !== undefined;
}

/** `data/read-models.sqlite` → `data/read-models-documents.sqlite`. */
export function documentsFileOf(file: string): string {
  return file.replace(/(\.[^./\\]*)?$/, (extension) => `-documents${extension}`);
}

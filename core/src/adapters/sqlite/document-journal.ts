import type Database from 'better-sqlite3';

/**
 * The journal that keeps a commit whole when its documents are written into another file, by
 * another thread or after the commit (`sqlite-document-file-store.ts`): the commit's document
 * writes are stored, as JSON, in the same transaction as its key-values and checkpoint; the
 * documents file records the last journal entry it applied, in the transaction that applied it.
 * After a crash, the entries past that mark are applied again; entries the documents file has
 * are trimmed.
 */
const JOURNAL_SCHEMA = `
CREATE TABLE IF NOT EXISTS document_journal (
  seq    INTEGER PRIMARY KEY,
  writes TEXT    NOT NULL
)`;

/** In the documents file: the last journal entry applied. */
export const APPLIED_SCHEMA = `
CREATE TABLE IF NOT EXISTS document_journal_applied (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
)`;

export function appliedSeqStatements(db: Database.Database): {
  markApplied: Database.Statement<[number]>;
  applied: Database.Statement<[], number>;
} {
  return {
    markApplied: db.prepare<[number]>(
      `INSERT INTO document_journal_applied (id, seq) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET seq = max(seq, excluded.seq)`,
    ),
    applied: db
      .prepare<[], number>('SELECT seq FROM document_journal_applied WHERE id = 1')
      .pluck(),
  };
}

export interface JournalEntry {
  seq: number;
  writes: string;
}

/** The journal's side in the read-model file; its writes run inside the caller's transaction. */
export class DocumentJournal {
  readonly #add: Database.Statement<[number, string]>;
  readonly #trim: Database.Statement<[number]>;
  readonly #after: Database.Statement<[number], JournalEntry>;
  #last: number;
  #trimmed = 0;

  constructor(db: Database.Database) {
    db.exec(JOURNAL_SCHEMA);
    this.#add = db.prepare('INSERT INTO document_journal (seq, writes) VALUES (?, ?)');
    this.#trim = db.prepare('DELETE FROM document_journal WHERE seq <= ?');
    this.#after = db.prepare('SELECT seq, writes FROM document_journal WHERE seq > ? ORDER BY seq');
    this.#last = (db.prepare('SELECT max(seq) FROM document_journal').pluck().get() as number) ?? 0;
  }

  /** The entries the documents file has not applied, oldest first; later entries follow them. */
  unapplied(applied: number): JournalEntry[] {
    this.#last = Math.max(this.#last, applied);
    return this.#after.all(applied);
  }

  /** Stores `writes` (JSON) as the next entry; returns its number. */
  add(writes: string): number {
    this.#add.run(++this.#last, writes);
    return this.#last;
  }

  /** Forgets the entries up to `applied`, now safe in the documents file. */
  trim(applied: number): void {
    if (applied <= this.#trimmed) return;
    this.#trim.run(applied);
    this.#trimmed = applied;
  }
}

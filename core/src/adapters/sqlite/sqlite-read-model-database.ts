import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { WAL_CHECKPOINT_PAGES } from './sqlite-schema.js';

/**
 * Opens (creating its folder) the SQLite file of embedded read models. WAL with
 * `synchronous = NORMAL`: read models are rebuilt from the log, so losing the last commits on a
 * power failure only replays them.
 *
 * @example
 * const db = openReadModelDatabase(join(dataDir, 'read-models.db'));
 */
export function openReadModelDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // First: two connections may open a new file at once (the document writer thread and its
  // readers), and switching it to WAL must wait for the other rather than fail.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // As the log's: projections rewrite the same documents and index pages while they catch up.
  db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  return db;
}

/** Removes a database file with its WAL and shared-memory files; absent ones are ignored. */
export function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

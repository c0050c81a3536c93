import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Pages a read model's WAL may hold before a commit copies them into the file. Projections
 * rewrite the same documents and index pages over and over while they catch up; SQLite's
 * default of 1,000 pages would copy each of them back at almost every commit.
 */
export const READ_MODEL_CHECKPOINT_PAGES = 20_000;

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
  db.pragma('journal_mode = WAL');
  db.pragma(`wal_autocheckpoint = ${READ_MODEL_CHECKPOINT_PAGES}`);
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  return db;
}

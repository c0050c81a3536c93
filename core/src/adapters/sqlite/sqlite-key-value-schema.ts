import type { Database } from 'better-sqlite3';

/**
 * The key-value tables of the read-model database. One table per kind of key; a key lives in at
 * most one of them (the store keeps that invariant, as Redis does with its types).
 *
 * - `kv_values`: a rowid table, because values (profile documents) are often larger than the
 *   small rows WITHOUT ROWID tables are good at. `expires_at` is epoch milliseconds; expired rows
 *   are hidden by every read and pruned by writes through the partial index.
 * - `kv_hashes`, `kv_sorted_sets`: small rows clustered by key, so a whole hash or a rank range is
 *   one contiguous B-tree walk. `(key, score, member)` orders ties by member, byte-wise like Redis
 *   (BINARY collation compares UTF-8 bytes).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv_values (
  key        TEXT    NOT NULL PRIMARY KEY,
  value      TEXT    NOT NULL,
  expires_at INTEGER
);
CREATE INDEX IF NOT EXISTS kv_values_by_expiry ON kv_values (expires_at)
  WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS kv_hashes (
  key   TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (key, field)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kv_sorted_sets (
  key    TEXT NOT NULL,
  member TEXT NOT NULL,
  score  REAL NOT NULL,
  PRIMARY KEY (key, member)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS kv_sorted_sets_by_score ON kv_sorted_sets (key, score, member);
`;

/** Creates the key-value tables when missing; safe to run on every start. */
export function createKeyValueTables(db: Database): void {
  db.exec(SCHEMA);
}

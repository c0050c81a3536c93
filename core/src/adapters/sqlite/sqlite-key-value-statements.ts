import type { Database, Statement } from 'better-sqlite3';

/** A plain value is live when it has no expiry or its expiry lies after `now`. */
const LIVE = '(expires_at IS NULL OR expires_at > @now)';

/** {@link LIVE} for the row of table alias `row`, in a statement that reads two rows. */
const liveRow = (row: string): string => `(${row}.expires_at IS NULL OR ${row}.expires_at > @now)`;

/** Distinct keys in `[@lower, @upper)` across the three tables, hiding expired values. */
const KEYS_IN_RANGE = `
  SELECT key FROM kv_values WHERE key >= @lower AND key < @upper AND ${LIVE}
  UNION SELECT key FROM kv_hashes WHERE key >= @lower AND key < @upper
  UNION SELECT key FROM kv_sorted_sets WHERE key >= @lower AND key < @upper`;

/** Rows an expiry sweep removes per write: bounded, so a backlog never stalls a projection commit. */
export const PRUNE_BATCH = 100;

/** Page size of prefix scans: pages, not one open cursor, so callers may write while iterating. */
export const SCAN_PAGE = 1000;

/** The prepared statements, by purpose. */
export interface KeyValueStatements {
  getValue: Statement;
  getThrough: Statement;
  getValueRow: Statement;
  kindOf: Statement;
  putValue: Statement;
  deleteValue: Statement;
  pruneExpired: Statement;
  hashGet: Statement;
  hashGetAll: Statement;
  hashPut: Statement;
  hashDeleteField: Statement;
  hashDelete: Statement;
  sortedSetScore: Statement;
  sortedSetCount: Statement;
  sortedSetRangeAsc: Statement;
  sortedSetRangeDesc: Statement;
  sortedSetPut: Statement;
  sortedSetDeleteMember: Statement;
  sortedSetDelete: Statement;
  scanPage: Statement;
  countInRange: Statement;
  deleteValuesInRange: Statement;
  deleteHashesInRange: Statement;
  deleteSortedSetsInRange: Statement;
}

/**
 * Every statement of the SQLite key-value store, prepared once: preparing costs more than running
 * a point lookup, and lookups are the hot path.
 */
export function prepareKeyValueStatements(db: Database): KeyValueStatements {
  const prepare = (sql: string): Statement => db.prepare(sql);
  return {
    getValue: prepare(`SELECT value FROM kv_values WHERE key = @key AND ${LIVE}`).pluck(),
    // One statement, so one read transaction: a profile lookup pays SQLite's per-statement cost
    // (WAL read lock, cursor set-up) once instead of twice.
    getThrough: prepare(`SELECT ref.value, target.value FROM kv_values ref
      LEFT JOIN kv_values target ON target.key = @prefix || ref.value AND ${liveRow('target')}
      WHERE ref.key = @key AND ${liveRow('ref')}`).raw(),
    getValueRow: prepare(`SELECT value, expires_at FROM kv_values WHERE key = @key AND ${LIVE}`),
    kindOf: prepare(`SELECT CASE
      WHEN EXISTS (SELECT 1 FROM kv_values WHERE key = @key AND ${LIVE}) THEN 'plain value'
      WHEN EXISTS (SELECT 1 FROM kv_hashes WHERE key = @key) THEN 'hash'
      WHEN EXISTS (SELECT 1 FROM kv_sorted_sets WHERE key = @key) THEN 'sorted set'
      ELSE 'none' END`).pluck(),
    putValue: prepare(`INSERT INTO kv_values (key, value, expires_at) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`),
    deleteValue: prepare('DELETE FROM kv_values WHERE key = ?'),
    pruneExpired: prepare(`DELETE FROM kv_values WHERE rowid IN (
      SELECT rowid FROM kv_values WHERE expires_at <= ? LIMIT ${PRUNE_BATCH})`),

    hashGet: prepare('SELECT value FROM kv_hashes WHERE key = ? AND field = ?').pluck(),
    hashGetAll: prepare('SELECT field, value FROM kv_hashes WHERE key = ?').raw(),
    hashPut: prepare(`INSERT INTO kv_hashes (key, field, value) VALUES (?, ?, ?)
      ON CONFLICT (key, field) DO UPDATE SET value = excluded.value`),
    hashDeleteField: prepare('DELETE FROM kv_hashes WHERE key = ? AND field = ?'),
    hashDelete: prepare('DELETE FROM kv_hashes WHERE key = ?'),

    sortedSetScore: prepare(
      'SELECT score FROM kv_sorted_sets WHERE key = ? AND member = ?',
    ).pluck(),
    sortedSetCount: prepare('SELECT count(*) FROM kv_sorted_sets WHERE key = ?').pluck(),
    sortedSetRangeAsc: prepare(`SELECT member, score FROM kv_sorted_sets WHERE key = ?
      ORDER BY score, member LIMIT ? OFFSET ?`).raw(),
    sortedSetRangeDesc: prepare(`SELECT member, score FROM kv_sorted_sets WHERE key = ?
      ORDER BY score DESC, member DESC LIMIT ? OFFSET ?`).raw(),
    sortedSetPut: prepare(`INSERT INTO kv_sorted_sets (key, member, score) VALUES (?, ?, ?)
      ON CONFLICT (key, member) DO UPDATE SET score = excluded.score`),
    sortedSetDeleteMember: prepare('DELETE FROM kv_sorted_sets WHERE key = ? AND member = ?'),
    sortedSetDelete: prepare('DELETE FROM kv_sorted_sets WHERE key = ?'),

    scanPage: prepare(`${KEYS_IN_RANGE} ORDER BY key LIMIT ${SCAN_PAGE}`).pluck(),
    countInRange: prepare(`SELECT count(*) FROM (${KEYS_IN_RANGE})`).pluck(),
    deleteValuesInRange: prepare('DELETE FROM kv_values WHERE key >= @lower AND key < @upper'),
    deleteHashesInRange: prepare('DELETE FROM kv_hashes WHERE key >= @lower AND key < @upper'),
    deleteSortedSetsInRange: prepare(
      'DELETE FROM kv_sorted_sets WHERE key >= @lower AND key < @upper',
    ),
  };
}

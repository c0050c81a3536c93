import type Database from 'better-sqlite3';
import type {
  KeyValueStore,
  KeyValueWrite,
  ScoredMember,
  SortedSetRangeOptions,
} from '@uspa/projections';
import {
  checkIncrement,
  checkKey,
  checkTtl,
  checkWrites,
  rangeOptions,
  type CounterWrite,
} from '../shared/key-value-checks.js';
import { createKeyValueTables } from './sqlite-key-value-schema.js';
import { prefixUpperBound } from './sqlite-prefix-bound.js';
import { openReadModelDatabase } from './sqlite-read-model-database.js';
import {
  prepareKeyValueStatements,
  SCAN_PAGE,
  type KeyValueStatements,
} from './sqlite-key-value-statements.js';
import { SqliteKeyValueWrites } from './sqlite-key-value-writes.js';

export interface SqliteKeyValueStoreOptions {
  /** Close the database in {@link SqliteKeyValueStore.close} (default false: the caller owns it). */
  ownsDatabase?: boolean;
  /** Clock in epoch milliseconds, for expiry; tests pass a fake one. */
  now?: () => number;
}

/**
 * The embedded KeyValueStore: tables in the read-model SQLite database (design §3).
 *
 * The database is shared: documents and projection checkpoints live in the same file and are
 * committed in one transaction with the key-values, through {@link applyWritesSync}. The store
 * therefore does not own the database unless told so, and never opens a transaction of its own
 * inside `applyWritesSync`.
 *
 * @example
 * const store = new SqliteKeyValueStore(db);
 * db.transaction(() => {
 *   documents.applyWritesSync(changes.documents);
 *   store.applyWritesSync(changes.keyValues);
 *   checkpoints.saveSync(name, position);
 * })();
 */
export class SqliteKeyValueStore implements KeyValueStore {
  readonly #db: Database.Database;
  readonly #sql: KeyValueStatements;
  readonly #writes: SqliteKeyValueWrites;
  readonly #ownsDatabase: boolean;
  readonly #now: () => number;
  readonly #writeInTransaction: Database.Transaction<(writes: readonly KeyValueWrite[]) => void>;
  readonly #incrementInTransaction: Database.Transaction<(write: CounterWrite) => number>;

  constructor(db: Database.Database, options: SqliteKeyValueStoreOptions = {}) {
    this.#db = db;
    this.#ownsDatabase = options.ownsDatabase ?? false;
    this.#now = options.now ?? Date.now;
    createKeyValueTables(db);
    this.#sql = prepareKeyValueStatements(db);
    this.#writes = new SqliteKeyValueWrites(this.#sql);
    this.#writeInTransaction = db.transaction((writes: readonly KeyValueWrite[]) =>
      this.applyWritesSync(writes),
    );
    this.#incrementInTransaction = db.transaction((write: CounterWrite) =>
      this.#writes.increment(write, this.#now()),
    );
  }

  /**
   * A standalone store on its own file in WAL mode, owning its database (tests, tools).
   *
   * @example
   * const store = SqliteKeyValueStore.open('data/kv.db');
   */
  static open(
    file: string,
    options: Omit<SqliteKeyValueStoreOptions, 'ownsDatabase'> = {},
  ): SqliteKeyValueStore {
    return new SqliteKeyValueStore(openReadModelDatabase(file), { ...options, ownsDatabase: true });
  }

  /**
   * Applies the writes in order on the caller's transaction, without opening one: wrap the call
   * in `db.transaction(...)`. Throws on the first refused write (wrong key kind, non-integer
   * counter), so the caller's transaction rolls back everything it wrote, not only key-values.
   */
  applyWritesSync(writes: readonly KeyValueWrite[]): void {
    const checked = checkWrites(writes);
    const now = this.#now();
    for (const write of checked) this.#writes.apply(write, now);
    if (checked.length > 0) this.#writes.prune(now);
  }

  /** Applies the writes in one transaction of its own (nested in the caller's when one is open). */
  async write(writes: readonly KeyValueWrite[]): Promise<void> {
    this.#writeInTransaction.immediate(writes);
  }

  async get(key: string): Promise<string | undefined> {
    return this.#getSync(key);
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return keys.map((key) => this.#getSync(key));
  }

  async getThrough(key: string, prefix: string): Promise<{ reference?: string; value?: string }> {
    const row = this.#sql.getThrough.get({ key, prefix, now: this.#now() }) as
      [string, string | null] | undefined;
    if (row === undefined) return {};
    const [reference, value] = row;
    return value === null ? { reference } : { reference, value };
  }

  async incrBy(key: string, by: number, options: { ttlSeconds?: number } = {}): Promise<number> {
    checkKey(key);
    checkIncrement(by);
    if (options.ttlSeconds !== undefined) checkTtl(options.ttlSeconds);
    // IMMEDIATE: read-modify-write must hold the write lock from the read on, across processes.
    return this.#incrementInTransaction.immediate({ op: 'incrBy', key, by, ...options });
  }

  async hashGet(key: string, field: string): Promise<string | undefined> {
    return this.#sql.hashGet.get(key, field) as string | undefined;
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    // fromEntries defines own properties, so a field named `__proto__` stays a field.
    return Object.fromEntries(this.#sql.hashGetAll.all(key) as [string, string][]);
  }

  async sortedSetRange(key: string, options?: SortedSetRangeOptions): Promise<ScoredMember[]> {
    const range = rangeOptions(options);
    let { start, stop } = range;
    if (start < 0 || stop < 0) {
      // Redis ranks: negative counts from the end; only then is the set's size needed.
      const size = this.#sql.sortedSetCount.get(key) as number;
      if (start < 0) start = Math.max(size + start, 0);
      if (stop < 0) stop = size + stop;
    }
    if (stop < start) return [];
    const statement =
      range.order === 'desc' ? this.#sql.sortedSetRangeDesc : this.#sql.sortedSetRangeAsc;
    const rows = statement.all(key, stop - start + 1, start) as [string, number][];
    return rows.map(([member, score]) => ({ member, score }));
  }

  async sortedSetScore(key: string, member: string): Promise<number | undefined> {
    return this.#sql.sortedSetScore.get(key, member) as number | undefined;
  }

  /** Pages of {@link SCAN_PAGE} keys in key order; the caller may write between pages. */
  async *scanPrefix(prefix: string): AsyncIterable<string> {
    const upper = prefixUpperBound(prefix);
    let lower = prefix;
    for (;;) {
      const keys = this.#sql.scanPage.all({ lower, upper, now: this.#now() }) as string[];
      yield* keys;
      if (keys.length < SCAN_PAGE) return;
      // The smallest string after the last key: the next page starts strictly after it.
      lower = `${keys[keys.length - 1]!}\u0000`;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    const range = { lower: prefix, upper: prefixUpperBound(prefix) };
    return this.#db.transaction(() => {
      const deleted = this.#sql.countInRange.get({ ...range, now: this.#now() }) as number;
      this.#sql.deleteValuesInRange.run(range);
      this.#sql.deleteHashesInRange.run(range);
      this.#sql.deleteSortedSetsInRange.run(range);
      return deleted;
    })();
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.#ownsDatabase && this.#db.open) this.#db.close();
  }

  #getSync(key: string): string | undefined {
    return this.#sql.getValue.get({ key, now: this.#now() }) as string | undefined;
  }
}

/**
 * KeyValueStore: hot lookups (profile by identifier, the identity index), counters, hashes and
 * sorted sets (design §3). Embedded adapter: SQLite tables; scale-out adapter: Redis. Both run
 * the contract suite in `testing/key-value.contract.ts`. Values are strings; callers serialise.
 */
export const KEY_VALUE_STORE = Symbol('KeyValueStore');

export interface ScoredMember {
  member: string;
  score: number;
}

/**
 * One write of an atomic batch ({@link KeyValueStore.write}: one Redis script, one SQLite
 * transaction). As in Redis, a key holds one kind: `set` replaces whatever it held, while a hash
 * or sorted-set write to a key of another kind is refused (WRONGTYPE).
 */
export type KeyValueWrite =
  | { op: 'set'; key: string; value: string; ttlSeconds?: number }
  | { op: 'delete'; key: string }
  | { op: 'incrBy'; key: string; by: number }
  | { op: 'hashSet'; key: string; fields: Readonly<Record<string, string>> }
  | { op: 'hashDelete'; key: string; fields: readonly string[] }
  | { op: 'hashIncrBy'; key: string; field: string; by: number }
  | { op: 'sortedSetAdd'; key: string; members: readonly ScoredMember[] }
  | { op: 'sortedSetIncrBy'; key: string; member: string; by: number }
  | { op: 'sortedSetRemove'; key: string; members: readonly string[] };

export interface SortedSetRangeOptions {
  /** Zero-based rank range, inclusive; negative counts from the end (Redis semantics). */
  start?: number;
  stop?: number;
  /**
   * `desc`: highest score first, the exact reverse of `asc` (Redis ZREVRANGE). Equal scores order
   * by member, comparing UTF-8 bytes.
   */
  order?: 'asc' | 'desc';
}

export interface KeyValueStore {
  /** Absent or expired → undefined. Any key kind other than a plain value → undefined. */
  get(key: string): Promise<string | undefined>;
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  /**
   * Reads through an index key at once (one Redis round trip): `reference` is the value at `key`,
   * `value` the value at `prefix` + `reference`. Both as {@link get} answers them.
   */
  getThrough(key: string, prefix: string): Promise<{ reference?: string; value?: string }>;
  /**
   * Increments an integer value (absent = 0) and returns the new value. Counters stay within the
   * safe integers. With `ttlSeconds`, a key without expiry gets one and an existing expiry is kept,
   * so a rate-limit window does not slide.
   */
  incrBy(key: string, by: number, options?: { ttlSeconds?: number }): Promise<number>;
  hashGet(key: string, field: string): Promise<string | undefined>;
  /** Absent key → `{}`. */
  hashGetAll(key: string): Promise<Record<string, string>>;
  sortedSetRange(key: string, options?: SortedSetRangeOptions): Promise<ScoredMember[]>;
  sortedSetScore(key: string, member: string): Promise<number | undefined>;
  /**
   * Applies the writes in order, atomically: all or none. A write the stored data refuses (wrong
   * key kind, a counter that is not an integer) rejects the batch with a `validation_failed` error.
   */
  write(writes: readonly KeyValueWrite[]): Promise<void>;
  /** Keys starting with `prefix`, in no particular order (Redis SCAN may repeat one). */
  scanPrefix(prefix: string): AsyncIterable<string>;
  /** Deletes every key starting with `prefix`; returns how many. */
  deletePrefix(prefix: string): Promise<number>;

  ping(): Promise<void>;
  close(): Promise<void>;
}

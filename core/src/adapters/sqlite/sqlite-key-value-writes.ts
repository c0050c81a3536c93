import type { KeyValueWrite } from '@uspa/projections';
import {
  addToCounter,
  parseCounter,
  refusedWrite,
  type CounterWrite,
  type KeyKind,
} from '../shared/key-value-checks.js';
import type { KeyValueStatements } from './sqlite-key-value-statements.js';

/**
 * Applies key-value writes with Redis semantics on the SQLite tables, on the caller's
 * transaction: a refused write throws, and the caller's rollback undoes the writes before it.
 * Arguments are already checked (`checkWrites`); what is checked here is the stored data.
 */
export class SqliteKeyValueWrites {
  constructor(private readonly sql: KeyValueStatements) {}

  apply(write: KeyValueWrite, now: number): void {
    const { sql } = this;
    const { key } = write;
    switch (write.op) {
      case 'set': {
        // Like Redis SET: whatever the key held before, it now holds this plain value.
        sql.hashDelete.run(key);
        sql.sortedSetDelete.run(key);
        const expiresAt = write.ttlSeconds === undefined ? null : now + write.ttlSeconds * 1000;
        sql.putValue.run(key, write.value, expiresAt);
        return;
      }
      case 'delete':
        sql.deleteValue.run(key);
        sql.hashDelete.run(key);
        sql.sortedSetDelete.run(key);
        return;
      case 'incrBy':
        this.increment(write, now);
        return;
      case 'hashSet':
        this.#expectKind(write, 'hash', now);
        for (const [field, value] of Object.entries(write.fields))
          sql.hashPut.run(key, field, value);
        return;
      case 'hashDelete':
        this.#expectKind(write, 'hash', now);
        for (const field of write.fields) sql.hashDeleteField.run(key, field);
        return;
      case 'hashIncrBy': {
        this.#expectKind(write, 'hash', now);
        const stored = sql.hashGet.get(key, write.field) as string | undefined;
        const next = this.#add(write, stored, write.by, write.field);
        sql.hashPut.run(key, write.field, String(next));
        return;
      }
      case 'sortedSetAdd':
        this.#expectKind(write, 'sorted set', now);
        for (const { member, score } of write.members) sql.sortedSetPut.run(key, member, score);
        return;
      case 'sortedSetIncrBy': {
        this.#expectKind(write, 'sorted set', now);
        const score = (sql.sortedSetScore.get(key, write.member) as number | undefined) ?? 0;
        sql.sortedSetPut.run(key, write.member, score + write.by);
        return;
      }
      case 'sortedSetRemove':
        this.#expectKind(write, 'sorted set', now);
        for (const member of write.members) sql.sortedSetDeleteMember.run(key, member);
        return;
    }
  }

  /**
   * Increments a plain value and returns the new value. With `ttlSeconds`, the expiry is set only
   * when the key has none (Redis `EXPIRE NX`), so a rate-limit window does not slide with traffic.
   */
  increment(write: CounterWrite, now: number): number {
    this.#expectKind(write, 'plain value', now);
    const row = this.sql.getValueRow.get({ key: write.key, now }) as
      { value: string; expires_at: number | null } | undefined;
    const next = this.#add(write, row?.value, write.by);
    const expiresAt =
      row?.expires_at ?? (write.ttlSeconds === undefined ? null : now + write.ttlSeconds * 1000);
    this.sql.putValue.run(write.key, String(next), expiresAt);
    return next;
  }

  /** Drops up to a bounded number of expired values; reads already hide them. */
  prune(now: number): void {
    this.sql.pruneExpired.run(now);
  }

  #add(
    write: Pick<KeyValueWrite, 'op' | 'key'>,
    stored: string | undefined,
    by: number,
    field?: string,
  ): number {
    const current = stored === undefined ? 0 : parseCounter(stored);
    if (current === undefined) throw refusedWrite(write, { reason: 'not_integer', field });
    const next = addToCounter(current, by);
    if (next === undefined) throw refusedWrite(write, { reason: 'out_of_range' });
    return next;
  }

  /** Redis WRONGTYPE: a hash write to a key holding a plain value (or a sorted set) is refused. */
  #expectKind(write: Pick<KeyValueWrite, 'op' | 'key'>, kind: KeyKind, now: number): void {
    const holds = this.sql.kindOf.get({ key: write.key, now }) as KeyKind | 'none';
    if (holds !== 'none' && holds !== kind)
      throw refusedWrite(write, { reason: 'wrong_kind', holds });
  }
}

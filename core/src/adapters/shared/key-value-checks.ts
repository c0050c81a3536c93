import type { KeyValueWrite, SortedSetRangeOptions } from '@uspa/projections';
import { ValidationError } from '../../errors/index.js';

/**
 * Argument checks and error words shared by the KeyValueStore adapters (SQLite, Redis), so a bad
 * call fails the same way on both before anything is written, and a write the stored data refuses
 * (wrong key kind, non-integer counter) is reported in the same words.
 */

/** Counters stay within JavaScript's safe integers: `incrBy` returns a `number`. */
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER;

/** The kinds of key the stores know, named as users read them (Redis TYPE `string` = plain value). */
export type KeyKind = 'plain value' | 'hash' | 'sorted set';

/** An increment of a plain value; `ttlSeconds` only comes from `KeyValueStore.incrBy`. */
export interface CounterWrite {
  op: 'incrBy';
  key: string;
  by: number;
  ttlSeconds?: number;
}

/** Why the stored data refuses a write; the whole batch is then left unapplied. */
export type WriteRefusal =
  | { reason: 'wrong_kind'; holds: string }
  | { reason: 'not_integer'; field?: string }
  | { reason: 'out_of_range' };

/** The error for a write the stored data refuses. */
export function refusedWrite(
  write: Pick<KeyValueWrite, 'op' | 'key'>,
  refusal: WriteRefusal,
): ValidationError {
  const where = `${write.op} on key ${JSON.stringify(write.key)}`;
  switch (refusal.reason) {
    case 'wrong_kind':
      return new ValidationError(`${where}: the key holds a ${refusal.holds}`, { ...refusal });
    case 'not_integer': {
      const what =
        refusal.field === undefined ? 'the value' : `field ${JSON.stringify(refusal.field)}`;
      return new ValidationError(`${where}: ${what} is not an integer`, { ...refusal });
    }
    case 'out_of_range':
      return new ValidationError(`${where}: the result leaves the safe integer range`);
  }
}

/**
 * Parses a stored counter with Redis's integer syntax (no sign `+`, no leading zeros, no spaces,
 * no `-0`), so `"007"` is refused on SQLite exactly as INCRBY refuses it on Redis.
 */
export function parseCounter(value: string): number | undefined {
  if (value !== '0' && !/^-?[1-9]\d{0,15}$/.test(value)) return undefined;
  const parsed = Number(value);
  return Math.abs(parsed) <= MAX_COUNTER ? parsed : undefined;
}

/** `current + by`, or undefined when that leaves the safe integers. */
export function addToCounter(current: number, by: number): number | undefined {
  const sum = current + by;
  return Math.abs(sum) <= MAX_COUNTER ? sum : undefined;
}

/**
 * Checks every write's arguments before any is applied and drops writes that change nothing
 * (Redis refuses an HSET without fields; dropping them keeps both adapters alike).
 */
export function checkWrites(writes: readonly KeyValueWrite[]): KeyValueWrite[] {
  const list: unknown = writes;
  if (!Array.isArray(list)) throw new ValidationError('Key-value writes must be an array');
  return writes.filter((write) => {
    checkWrite(write);
    return !changesNothing(write);
  });
}

function changesNothing(write: KeyValueWrite): boolean {
  switch (write.op) {
    case 'hashSet':
      return Object.keys(write.fields).length === 0;
    case 'hashDelete':
      return write.fields.length === 0;
    case 'sortedSetAdd':
    case 'sortedSetRemove':
      return write.members.length === 0;
    default:
      return false;
  }
}

function checkWrite(write: KeyValueWrite): void {
  checkKey(write.key);
  switch (write.op) {
    case 'set':
      checkString(write.value, 'A value');
      if (write.ttlSeconds !== undefined) checkTtl(write.ttlSeconds);
      break;
    case 'delete':
      break;
    case 'incrBy':
      checkIncrement(write.by);
      break;
    case 'hashSet':
      for (const value of Object.values(write.fields)) checkString(value, 'A hash value');
      break;
    case 'hashDelete':
      for (const field of write.fields) checkString(field, 'A hash field');
      break;
    case 'hashIncrBy':
      checkString(write.field, 'A hash field');
      checkIncrement(write.by);
      break;
    case 'sortedSetAdd':
      for (const { member, score } of write.members) {
        checkString(member, 'A member');
        checkScore(score);
      }
      break;
    case 'sortedSetIncrBy':
      checkString(write.member, 'A member');
      checkScore(write.by);
      break;
    case 'sortedSetRemove':
      for (const member of write.members) checkString(member, 'A member');
      break;
    default:
      throw new ValidationError(`Unknown key-value write: ${JSON.stringify(write)}`);
  }
}

export function checkKey(key: string): void {
  checkString(key, 'A key');
}

/** Increments are integers (Redis INCRBY refuses `1.5`) within the safe range. */
export function checkIncrement(by: number): void {
  if (!Number.isSafeInteger(by)) {
    throw new ValidationError(`An increment must be an integer: ${by}`);
  }
}

/** Whole seconds, like Redis `EX`. */
export function checkTtl(ttlSeconds: number): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new ValidationError(`ttlSeconds must be a positive integer: ${ttlSeconds}`);
  }
}

/** Finite scores only: SQLite stores NaN as NULL, and Redis refuses NaN. */
function checkScore(score: number): void {
  if (!Number.isFinite(score)) throw new ValidationError(`A score must be finite: ${score}`);
}

function checkString(value: unknown, what: string): void {
  if (typeof value !== 'string') throw new ValidationError(`${what} must be a string`);
}

/** Range options with the defaults applied (whole set, ascending) and integer ranks checked. */
export function rangeOptions(options: SortedSetRangeOptions = {}): Required<SortedSetRangeOptions> {
  const { start = 0, stop = -1, order = 'asc' } = options;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(stop)) {
    throw new ValidationError(`Sorted set ranks must be integers: ${start}..${stop}`);
  }
  if (order !== 'asc' && order !== 'desc') {
    throw new ValidationError(`Unknown order: ${String(order)}`);
  }
  return { start, stop, order };
}

import type { KeyValueWrite } from '@uspa/projections';
import type { Redis } from 'ioredis';
import { refusedWrite, type CounterWrite, type WriteRefusal } from '../shared/key-value-checks.js';
import { runScript } from './redis-script.js';
import { WRITE_SCRIPT } from './redis-write-script.js';

/** A write of a batch, or the increment of `KeyValueStore.incrBy` (which may carry a ttl). */
export type ScriptWrite = KeyValueWrite | CounterWrite;

/** KEYS and ARGV of {@link WRITE_SCRIPT} for the writes, each key behind `keyPrefix`. */
export function encodeWrites(
  writes: readonly ScriptWrite[],
  keyPrefix: string,
): { keys: string[]; args: string[] } {
  const keys: string[] = [];
  const args: string[] = [];
  for (const write of writes) {
    keys.push(keyPrefix + write.key);
    args.push(...encodeArguments(write));
  }
  return { keys, args };
}

function encodeArguments(write: ScriptWrite): string[] {
  const ttl = (seconds: number | undefined): string =>
    seconds === undefined ? '' : String(seconds);
  switch (write.op) {
    case 'set':
      return ['set', write.value, ttl(write.ttlSeconds)];
    case 'delete':
      return ['del'];
    case 'incrBy':
      return ['incr', String(write.by), ttl('ttlSeconds' in write ? write.ttlSeconds : undefined)];
    case 'hashSet': {
      const fields = Object.entries(write.fields);
      return ['hset', String(fields.length), ...fields.flat()];
    }
    case 'hashDelete':
      return ['hdel', String(write.fields.length), ...write.fields];
    case 'hashIncrBy':
      return ['hincr', write.field, String(write.by)];
    case 'sortedSetAdd':
      return [
        'zadd',
        String(write.members.length),
        ...write.members.flatMap(({ member, score }) => [String(score), member]),
      ];
    case 'sortedSetIncrBy':
      return ['zincr', write.member, String(write.by)];
    case 'sortedSetRemove':
      return ['zrem', String(write.members.length), ...write.members];
  }
}

/** The refusal in a script error, or undefined for any other error. */
function parseRefusal(error: unknown): { index: number; refusal: WriteRefusal } | undefined {
  const match =
    error instanceof Error ? /^USPA_KV (\d+) (\w+)(?: (\w+))?/.exec(error.message) : null;
  if (!match) return undefined;
  const index = Number(match[1]) - 1;
  switch (match[2]) {
    case 'wrong_kind':
      return { index, refusal: { reason: 'wrong_kind', holds: kindName(match[3] ?? '') } };
    case 'not_integer':
      return { index, refusal: { reason: 'not_integer' } };
    case 'out_of_range':
      return { index, refusal: { reason: 'out_of_range' } };
    default:
      return undefined;
  }
}

/** Redis TYPE names in the words of the SQLite adapter. */
function kindName(redisType: string): string {
  const names: Record<string, string> = { string: 'plain value', zset: 'sorted set' };
  return names[redisType] ?? redisType;
}

/**
 * Runs the write script for already checked writes and returns its result (the last plain
 * counter's new value). A refusal becomes the same ValidationError the SQLite adapter throws.
 */
export async function runWriteScript(
  client: Redis,
  writes: readonly ScriptWrite[],
  keyPrefix: string,
): Promise<unknown> {
  const { keys, args } = encodeWrites(writes, keyPrefix);
  try {
    return await runScript(client, WRITE_SCRIPT, keys, args);
  } catch (error) {
    const refused = parseRefusal(error);
    const write = refused && writes[refused.index];
    if (!refused || !write) throw error;
    const field = write.op === 'hashIncrBy' ? write.field : undefined;
    throw refusedWrite(
      write,
      refused.refusal.reason === 'not_integer' ? { ...refused.refusal, field } : refused.refusal,
    );
  }
}

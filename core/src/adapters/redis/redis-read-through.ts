import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * KEYS[1]: the index key; ARGV[1]: the prefix of the key it points at. MGET, not GET, answers nil
 * for a hash or a sorted set, as `get` does. The second key is not declared (it is not known
 * before the first is read), so on a cluster both must live on the same node.
 */
const READ_THROUGH_SCRIPT = `
local reference = redis.call('MGET', KEYS[1])[1]
if not reference then return {false, false} end
return {reference, redis.call('MGET', ARGV[1] .. reference)[1]}
`;
const READ_THROUGH_SHA = createHash('sha1').update(READ_THROUGH_SCRIPT).digest('hex');

/** The value at `key`, and the value at `prefix` + that value, in one round trip. */
export async function readThrough(
  client: Redis,
  key: string,
  prefix: string,
): Promise<[string | null, string | null]> {
  try {
    return (await client.evalsha(READ_THROUGH_SHA, 1, key, prefix)) as [
      string | null,
      string | null,
    ];
  } catch (error) {
    // First use on this server (or after SCRIPT FLUSH): send the script itself once.
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return (await client.eval(READ_THROUGH_SCRIPT, 1, key, prefix)) as [
      string | null,
      string | null,
    ];
  }
}

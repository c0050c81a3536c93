import type { Redis } from 'ioredis';
import { redisScript, runScript } from './redis-script.js';

/**
 * KEYS[1]: the index key; ARGV[1]: the prefix of the key it points at. MGET, not GET, answers nil
 * for a hash or a sorted set, as `get` does. The second key is not declared (it is not known
 * before the first is read), so on a cluster both must live on the same node.
 */
const READ_THROUGH = redisScript(`
local reference = redis.call('MGET', KEYS[1])[1]
if not reference then return {false, false} end
return {reference, redis.call('MGET', ARGV[1] .. reference)[1]}
`);

/** The value at `key`, and the value at `prefix` + that value, in one round trip. */
export async function readThrough(
  client: Redis,
  key: string,
  prefix: string,
): Promise<[string | null, string | null]> {
  return (await runScript(client, READ_THROUGH, [key], [prefix])) as [string | null, string | null];
}

import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script and the SHA1 Redis knows it by. */
export interface RedisScript {
  source: string;
  sha: string;
}

export function redisScript(source: string): RedisScript {
  return { source, sha: hash('sha1', source) };
}

/** Runs `script` by its SHA; on a server that has not seen it yet, sends it once. */
export async function runScript(
  client: Redis,
  script: RedisScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    // First use on this server (or after SCRIPT FLUSH).
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return await client.eval(script.source, keys.length, ...keys, ...args);
  }
}

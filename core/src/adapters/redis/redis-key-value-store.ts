import { Redis, type RedisOptions } from 'ioredis';
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
} from '../shared/key-value-checks.js';
import { runWriteScript } from './redis-write-batch.js';
import { readThrough } from './redis-read-through.js';

export interface RedisKeyValueStoreOptions {
  /**
   * Put before every key (and stripped from scan results), so installs and test runs sharing a
   * Redis do not collide. Leave the client's own `keyPrefix` unset: it does not apply to SCAN.
   */
  keyPrefix?: string;
  /** Quit the client in {@link RedisKeyValueStore.close} (default false: the caller owns it). */
  ownsClient?: boolean;
}

export interface RedisConnectOptions extends Omit<RedisKeyValueStoreOptions, 'ownsClient'> {
  /** ioredis options, over the fail-fast defaults of {@link RedisKeyValueStore.connect}. */
  redis?: RedisOptions;
  /** Where connection errors go (a logger); without it ioredis prints them to stderr. */
  onError?: (error: Error) => void;
}

/** Keys per UNLINK in `deletePrefix`: big enough to amortise round trips, small enough not to block. */
const UNLINK_CHUNK = 1000;

/**
 * The scale-out KeyValueStore on Redis (design §3). Plain values, hashes and sorted sets map to the
 * Redis types of the same name. `write` runs one Lua script that checks the whole batch before
 * writing (`redis-write-script.ts`), which is what makes it all-or-none.
 *
 * Needs Redis 6.2 or later (ZRANGE ... REV). A batch's keys must share a hash slot on a cluster.
 *
 * @example
 * const store = RedisKeyValueStore.connect('redis://127.0.0.1:6379', { keyPrefix: 'uspa:' });
 * await store.write([{ op: 'set', key: 'profile:42', value: '{"name":"Ada"}' }]);
 */
export class RedisKeyValueStore implements KeyValueStore {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #ownsClient: boolean;

  constructor(client: Redis, options: RedisKeyValueStoreOptions = {}) {
    this.#client = client;
    this.#prefix = options.keyPrefix ?? '';
    this.#ownsClient = options.ownsClient ?? false;
  }

  /**
   * A store owning a new client for `url`. Commands fail after one reconnect attempt instead of
   * queueing for ever, so a Redis that is down surfaces as an error, not a hang.
   */
  static connect(url: string, options: RedisConnectOptions = {}): RedisKeyValueStore {
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
      ...options.redis,
    });
    if (options.onError) client.on('error', options.onError);
    return new RedisKeyValueStore(client, { keyPrefix: options.keyPrefix, ownsClient: true });
  }

  async get(key: string): Promise<string | undefined> {
    // MGET, not GET: it answers nil for a hash or sorted set where GET fails with WRONGTYPE.
    const [value] = await this.#client.mget(this.#key(key));
    return value ?? undefined;
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await this.#client.mget(keys.map((key) => this.#key(key)));
    return values.map((value) => value ?? undefined);
  }

  async getThrough(key: string, prefix: string): Promise<{ reference?: string; value?: string }> {
    const [reference, value] = await readThrough(this.#client, this.#key(key), this.#key(prefix));
    if (reference === null) return {};
    return value === null ? { reference } : { reference, value };
  }

  async incrBy(key: string, by: number, options: { ttlSeconds?: number } = {}): Promise<number> {
    checkKey(key);
    checkIncrement(by);
    if (options.ttlSeconds !== undefined) checkTtl(options.ttlSeconds);
    return (await runWriteScript(
      this.#client,
      [{ op: 'incrBy', key, by, ...options }],
      this.#prefix,
    )) as number;
  }

  async hashGet(key: string, field: string): Promise<string | undefined> {
    return ifKind(
      async () => (await this.#client.hget(this.#key(key), field)) ?? undefined,
      undefined,
    );
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    return ifKind(() => this.#client.hgetall(this.#key(key)), {});
  }

  async sortedSetRange(key: string, options?: SortedSetRangeOptions): Promise<ScoredMember[]> {
    const { start, stop, order } = rangeOptions(options);
    const reply = await ifKind(
      () =>
        order === 'desc'
          ? this.#client.zrange(this.#key(key), start, stop, 'REV', 'WITHSCORES')
          : this.#client.zrange(this.#key(key), start, stop, 'WITHSCORES'),
      [],
    );
    const members: ScoredMember[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) {
      members.push({ member: reply[i]!, score: parseScore(reply[i + 1]!) });
    }
    return members;
  }

  async sortedSetScore(key: string, member: string): Promise<number | undefined> {
    const score = await ifKind(() => this.#client.zscore(this.#key(key), member), null);
    return score === null ? undefined : parseScore(score);
  }

  async write(writes: readonly KeyValueWrite[]): Promise<void> {
    const checked = checkWrites(writes);
    if (checked.length > 0) await runWriteScript(this.#client, checked, this.#prefix);
  }

  /** SCAN with the prefix as a literal pattern. Like SCAN, may repeat a key while Redis rehashes. */
  async *scanPrefix(prefix: string): AsyncIterable<string> {
    for await (const keys of this.#scan(prefix)) {
      yield* keys.map((key) => key.slice(this.#prefix.length));
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    for await (const keys of this.#scan(prefix)) {
      // UNLINK frees big values off the main thread; it counts a repeated key only once.
      for (let i = 0; i < keys.length; i += UNLINK_CHUNK) {
        deleted += await this.#client.unlink(...keys.slice(i, i + UNLINK_CHUNK));
      }
    }
    return deleted;
  }

  async ping(): Promise<void> {
    await this.#client.ping();
  }

  async close(): Promise<void> {
    if (!this.#ownsClient) return;
    // QUIT lets pending replies arrive; a client that is not connected has nothing to wait for.
    if (this.#client.status === 'ready') await this.#client.quit();
    else this.#client.disconnect();
  }

  /** Pages of full (prefixed) keys. */
  async *#scan(prefix: string): AsyncIterable<string[]> {
    const pattern = `${escapeGlob(this.#prefix + prefix)}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.#client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }

  #key(key: string): string {
    return this.#prefix + key;
  }
}

/** Reads of a key of another kind answer as if it were absent, as SQLite does (no WRONGTYPE). */
async function ifKind<T>(read: () => Promise<T>, absent: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('WRONGTYPE')) return absent;
    throw error;
  }
}

/** Redis spells infinite scores `inf` / `-inf`. */
function parseScore(reply: string): number {
  if (reply === 'inf' || reply === '+inf') return Infinity;
  if (reply === '-inf') return -Infinity;
  return Number(reply);
}

/** Escapes Redis glob characters, so a prefix such as `a*[b]` matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

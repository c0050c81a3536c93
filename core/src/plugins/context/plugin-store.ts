import type { KeyValueStore } from '@uspa/projections';
import { UspaError } from '../../errors/index.js';

export const MAX_STORE_KEY_LENGTH = 512;
export const MAX_STORE_VALUE_BYTES = 64 * 1024;

/** `ctx.store` on the host side, already limited to one plugin's keys. */
export interface PluginKeyValues {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  increment(key: string, by: number): Promise<number>;
}

/**
 * Everything the host keeps for a plugin (its store, its consumers' checkpoints) lives under
 * this prefix; uninstalling deletes it.
 */
export function pluginKeyPrefix(plugin: string): string {
  return `plugin:${plugin}:`;
}

/**
 * Where a plugin's own keys live. Every key the plugin names is put under this prefix, so no
 * key of its choosing (`../x`, another plugin's name) reaches outside.
 */
export function storePrefix(plugin: string): string {
  return `${pluginKeyPrefix(plugin)}store:`;
}

/**
 * A plugin's `ctx.store` over the shared KeyValueStore: values are JSON, keys namespaced by
 * plugin. Errors are plain messages a plugin author can act on; none names the host's prefix.
 *
 * @example
 * const store = pluginKeyValues('geo', keyValues);
 * await store.set('seen:a-1', { at: '2026-11-29' }, 86_400);
 */
export function pluginKeyValues(plugin: string, keyValues: KeyValueStore): PluginKeyValues {
  const prefix = storePrefix(plugin);
  const keyOf = (key: unknown): string => prefix + checkKey(key);
  return {
    async get(key) {
      const raw = await keyValues.get(keyOf(key));
      return raw === undefined ? undefined : (JSON.parse(raw) as unknown);
    },
    async set(key, value, ttlSeconds) {
      const write = { op: 'set' as const, key: keyOf(key), value: serialise(key, value) };
      if (ttlSeconds === undefined) return keyValues.write([write]);
      if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
        throw new Error(`ctx.store.set: ttlSeconds must be a positive whole number: ${ttlSeconds}`);
      }
      return keyValues.write([{ ...write, ttlSeconds }]);
    },
    async delete(key) {
      await keyValues.write([{ op: 'delete', key: keyOf(key) }]);
    },
    async increment(key, by) {
      if (!Number.isSafeInteger(by)) {
        throw new Error(
          `ctx.store.increment: by must be a whole number (${by}); counters are integers, as in Redis INCRBY`,
        );
      }
      try {
        return await keyValues.incrBy(keyOf(key), by);
      } catch (error) {
        if (!(error instanceof UspaError) || error.status !== 400) throw error;
        // The store's own message names the prefixed key; the plugin gets its own words.
        throw new Error(`ctx.store.increment(${JSON.stringify(key)}): ${refusal(error)}`);
      }
    },
  };
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key === '')
    throw new Error('ctx.store: a key must be a non-empty string');
  if (key.length > MAX_STORE_KEY_LENGTH) {
    throw new Error(
      `ctx.store: a key is at most ${MAX_STORE_KEY_LENGTH} characters (got ${key.length})`,
    );
  }
  return key;
}

function serialise(key: unknown, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new Error(
      `ctx.store.set(${JSON.stringify(key)}): the value is not JSON: ${(error as Error).message}`,
    );
  }
  if (json === undefined) {
    throw new Error(
      `ctx.store.set(${JSON.stringify(key)}): the value is not JSON (${typeof value})`,
    );
  }
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_STORE_VALUE_BYTES) {
    throw new Error(
      `ctx.store.set(${JSON.stringify(key)}): the value is ${bytes} bytes of JSON, more than ${MAX_STORE_VALUE_BYTES}`,
    );
  }
  return json;
}

/** Why the KeyValueStore refused an increment (its `refusedWrite` details). */
function refusal(error: UspaError): string {
  switch (error.details?.reason) {
    case 'not_integer':
      return 'the stored value is not a whole number; increment works on integer counters only';
    case 'wrong_kind':
      return 'the key holds another kind of value';
    default:
      return /safe integer/.test(error.message)
        ? 'the counter would leave the safe integer range'
        : error.message;
  }
}

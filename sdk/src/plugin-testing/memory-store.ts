import type { PluginStore } from '../plugin/index.js';

interface Entry {
  /** Values are kept as JSON text, as the host keeps them: what comes out is always a copy. */
  json: string;
  /** Epoch milliseconds after which the entry is gone. */
  expiresAt?: number;
}

/**
 * A plugin's key-value store in memory, with the host store's rules: JSON values up to 64 KiB,
 * keys up to 512 characters, a TTL in whole seconds per key (`increment` keeps it, `set` replaces
 * it), integer counters, and expired keys read as absent.
 *
 * @example
 * const store = new MemoryPluginStore({ 'orders:u-1': 2 });
 * await store.increment('orders:u-1'); // 3
 * await store.set('session:u-1', { step: 2 }, { ttlSeconds: 1800 });
 * store.snapshot(); // { 'orders:u-1': 3, 'session:u-1': { step: 2 } }
 */
export class MemoryPluginStore implements PluginStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  /** `now` (epoch milliseconds) lets a test move time past a TTL. */
  constructor(initial: Readonly<Record<string, unknown>> = {}, now: () => number = Date.now) {
    this.#now = now;
    for (const [key, value] of Object.entries(initial)) {
      this.#entries.set(checkKey(key), { json: json(key, value) });
    }
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const entry = this.#live(checkKey(key));
    return entry ? (JSON.parse(entry.json) as T) : undefined;
  }

  async set(key: string, value: unknown, options: { ttlSeconds?: number } = {}): Promise<void> {
    const { ttlSeconds } = options;
    const text = json(checkKey(key), value);
    if (ttlSeconds !== undefined && !(Number.isSafeInteger(ttlSeconds) && ttlSeconds > 0)) {
      throw new Error(`ctx.store.set: ttlSeconds must be a positive whole number: ${ttlSeconds}`);
    }
    this.#entries.set(key, {
      json: text,
      ...(ttlSeconds !== undefined && { expiresAt: this.#now() + ttlSeconds * 1000 }),
    });
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(checkKey(key));
  }

  async increment(key: string, by = 1): Promise<number> {
    checkKey(key);
    if (!Number.isSafeInteger(by)) {
      throw new Error(`ctx.store.increment: by must be a whole number (${by}), as in Redis INCRBY`);
    }
    const entry = this.#live(key);
    const current: unknown = entry ? JSON.parse(entry.json) : 0;
    if (!Number.isSafeInteger(current)) {
      throw new Error(
        `ctx.store.increment(${JSON.stringify(key)}): the stored value is not a whole number`,
      );
    }
    const next = (current as number) + by;
    this.#entries.set(key, { ...entry, json: String(next) });
    return next;
  }

  /** Every live key and its value: what a test asserts on. */
  snapshot(): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const key of [...this.#entries.keys()].sort()) {
      const entry = this.#live(key);
      if (entry) values[key] = JSON.parse(entry.json);
    }
    return values;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

// The host's limits (core/src/plugins/context/plugin-store.ts).
const MAX_KEY_LENGTH = 512;
const MAX_VALUE_BYTES = 64 * 1024;

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key === '') {
    throw new Error('ctx.store: a key must be a non-empty string');
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw new Error(`ctx.store: a key is at most ${MAX_KEY_LENGTH} characters (got ${key.length})`);
  }
  return key;
}

function json(key: string, value: unknown): string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) {
    throw new Error(
      `ctx.store.set(${JSON.stringify(key)}): the value is not JSON (${typeof value})`,
    );
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_VALUE_BYTES) {
    throw new Error(
      `ctx.store.set(${JSON.stringify(key)}): the value is ${bytes} bytes of JSON, more than ${MAX_VALUE_BYTES}`,
    );
  }
  return text;
}

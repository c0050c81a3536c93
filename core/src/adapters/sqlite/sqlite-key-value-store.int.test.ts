import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyValueContract } from '@uspa/projections/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteKeyValueStore } from './sqlite-key-value-store.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-kv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

keyValueContract('sqlite file', async () => {
  const store = SqliteKeyValueStore.open(join(dir, 'contract.db'));
  return { store, cleanup: () => store.close() };
});

describe('SqliteKeyValueStore on a shared read-model database', () => {
  let db: Database.Database;
  let store: SqliteKeyValueStore;
  let now = 1_700_000_000_000;

  beforeEach(() => {
    db = new Database(join(dir, `shared-${now}.db`));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE documents (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
    store = new SqliteKeyValueStore(db, { now: () => now });
  });
  afterEach(async () => {
    await store.close();
    expect(db.open).toBe(true); // The store does not own the caller's database.
    db.close();
    now += 1;
  });

  /** One transaction of the caller, as the read-model store's commit opens it. */
  const commit = (changes: () => void): void => db.transaction(changes)();

  it('writes with the caller in one transaction, and rolls back with it', async () => {
    const insertDocument = (id: string) =>
      db.prepare('INSERT INTO documents VALUES (?, ?)').run(id, '{}');
    commit(() => {
      insertDocument('p-1');
      store.applyWritesSync([{ op: 'set', key: 'profile:1', value: 'Ada' }]);
    });
    expect(() =>
      commit(() => {
        insertDocument('p-2');
        store.applyWritesSync([
          { op: 'set', key: 'profile:2', value: 'Grace' },
          { op: 'hashSet', key: 'identity:email', fields: { 'grace@example.com': 'p-2' } },
        ]);
        throw new Error('the checkpoint write failed');
      }),
    ).toThrow('the checkpoint write failed');

    expect(await store.getMany(['profile:1', 'profile:2'])).toEqual(['Ada', undefined]);
    expect(await store.hashGetAll('identity:email')).toEqual({});
    expect(db.prepare('SELECT id FROM documents').pluck().all()).toEqual(['p-1']);
  });

  it('throws on a refused write, so the caller rolls back its own writes too', () => {
    expect(() =>
      commit(() => {
        db.prepare('INSERT INTO documents VALUES (?, ?)').run('p-3', '{}');
        store.applyWritesSync([
          { op: 'set', key: 'count', value: 'many' },
          { op: 'incrBy', key: 'count', by: 1 },
        ]);
      }),
    ).toThrow(/not an integer/);
    expect(db.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(0);
  });

  it('hides expired values at once and prunes their rows on a later write', async () => {
    await store.write([{ op: 'set', key: 'session', value: 's', ttlSeconds: 60 }]);
    now += 59_999;
    expect(await store.get('session')).toBe('s');
    now += 1;
    expect(await store.get('session')).toBeUndefined();
    expect(await store.incrBy('session', 1)).toBe(1); // An expired value counts as absent.
    await store.write([{ op: 'set', key: 'other', value: 'o', ttlSeconds: 1 }]);
    now += 1000;
    await store.write([{ op: 'set', key: 'unrelated', value: 'u' }]);
    expect(db.prepare('SELECT key FROM kv_values ORDER BY key').pluck().all()).toEqual([
      'session',
      'unrelated',
    ]);
  });

  it('looks a profile up among 20,000 keys in well under a millisecond', async () => {
    const writes = Array.from({ length: 20_000 }, (_, n) => ({
      op: 'set' as const,
      key: `profile:${n}`,
      value: JSON.stringify({ id: n, traits: { plan: 'pro', name: `User ${n}` } }),
    }));
    await store.write(writes);
    const lookups = 5000;
    const started = performance.now();
    for (let n = 0; n < lookups; n++) await store.get(`profile:${(n * 7919) % 20_000}`);
    const perLookup = (performance.now() - started) / lookups;
    expect(perLookup).toBeLessThan(0.1);
  });
});

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentStoreContract } from '@uspa/projections/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from './sqlite-document-store.js';
import { SqliteDocumentFileStore } from './sqlite-document-file-store.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-documents-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

documentStoreContract('sqlite file', async () => {
  const store = SqliteDocumentStore.open(join(dir, 'contract.db'));
  return { store, cleanup: () => store.close() };
});

documentStoreContract('sqlite documents file, writer thread', async () => {
  const store = SqliteDocumentFileStore.open(join(dir, 'threaded-contract.db'));
  return { store, cleanup: () => store.close() };
});

documentStoreContract('sqlite documents file, inline writer', async () => {
  const store = SqliteDocumentFileStore.open(join(dir, 'inline-contract.db'), {
    writer: 'inline',
  });
  return { store, cleanup: () => store.close() };
});

describe('SqliteDocumentStore on a shared database', () => {
  it('applyWritesSync commits or rolls back with the caller’s transaction', async () => {
    const db = new Database(join(dir, 'shared.db'));
    const store = new SqliteDocumentStore(db);
    await store.createCollection('profiles', { fields: { plan: 'keyword', name: 'text' } });
    db.exec('CREATE TABLE checkpoints (name TEXT PRIMARY KEY, position INTEGER)');
    const commit = db.transaction((position: number, fail: boolean) => {
      store.applyWritesSync([
        { op: 'upsert', collection: 'profiles', id: `p${position}`, document: { plan: 'pro' } },
      ]);
      db.prepare('INSERT INTO checkpoints VALUES (?, ?)').run(`c${position}`, position);
      if (fail) throw new Error('the projection failed after writing');
    });

    expect(() => commit(1, true)).toThrow('the projection failed');
    expect(await store.get('profiles', 'p1')).toBeUndefined();
    expect(await store.count('profiles', { field: 'plan', eq: 'pro' })).toBe(0);
    expect(db.prepare('SELECT count(*) FROM checkpoints').pluck().get()).toBe(0);

    commit(2, false);
    expect(await store.get('profiles', 'p2')).toEqual({ plan: 'pro' });
    expect(await store.count('profiles', { field: 'plan', eq: 'pro' })).toBe(1);

    // The store does not own the database: closing it leaves the database open for the others.
    await store.close();
    expect(db.open).toBe(true);
    db.close();
  });

  it('keeps filtering, sorting and counting 100,000 documents fast', async () => {
    const store = SqliteDocumentStore.open(join(dir, 'large.db'));
    const mapping = { fields: { plan: 'keyword', score: 'number', tags: 'keyword' } } as const;
    await store.createCollection('profiles', mapping);
    const plans = ['free', 'pro', 'team', 'enterprise'];
    for (let batch = 0; batch < 10; batch++) {
      await store.write(
        Array.from({ length: 10_000 }, (_, i) => {
          const n = batch * 10_000 + i;
          return {
            op: 'upsert' as const,
            collection: 'profiles',
            id: `p${n}`,
            document: { plan: plans[n % 4], score: n % 1000, tags: [`t${n % 50}`, `u${n % 7}`] },
          };
        }),
      );
    }

    const started = performance.now();
    const page = await store.search('profiles', {
      filter: {
        and: [
          { field: 'tags', eq: 't7' },
          { field: 'score', range: { gte: 500 } },
        ],
      },
      sort: [{ field: 'score', order: 'desc' }],
    });
    const count = await store.count('profiles', { field: 'plan', eq: 'enterprise' });
    const buckets = await store.terms('profiles', { field: 'plan' });
    const elapsed = performance.now() - started;

    expect(page.total).toBe(1000);
    expect(page.hits[0]?.document.score).toBe(957);
    expect(count).toBe(25_000);
    expect(buckets.map((bucket) => bucket.count)).toEqual([25_000, 25_000, 25_000, 25_000]);
    // Generous for slow CI machines; a full scan sorting 100k JSON bodies takes seconds.
    expect(elapsed).toBeLessThan(1500);
    await store.close();
  }, 120_000);
});

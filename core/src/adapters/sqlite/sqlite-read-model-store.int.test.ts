import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from './sqlite-document-store.js';
import { documentsFileOf, SqliteReadModelStore } from './sqlite-read-model-store.js';
import { SqliteDocumentFileStore } from './sqlite-document-file-store.js';
import { removeDatabaseFiles } from './sqlite-read-model-database.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-read-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const crashScript = fileURLToPath(new URL('./read-model-crash.fixture.ts', import.meta.url));

const MAPPING = { fields: { name: 'text', plan: 'keyword' } } as const;
const upsert = (id: string, plan: string) => ({
  op: 'upsert' as const,
  collection: 'people',
  id,
  document: { name: `Person ${id}`, plan },
});

function runCrash(file: string, count: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@uspa/source', '--import', 'tsx', crashScript, file, String(count)],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL' ? 9 : null));
  });
}

describe('SqliteReadModelStore with the document writer thread', () => {
  it('keeps documents in a file of their own, written beside the event loop', async () => {
    const file = join(dir, 'beside.sqlite');
    const store = SqliteReadModelStore.open(file);
    expect(store.documents).toBeInstanceOf(SqliteDocumentFileStore);
    await store.documents.createCollection('people', MAPPING);
    await store.commit({
      documents: Array.from({ length: 500 }, (_, n) => upsert(`p${n}`, n < 200 ? 'pro' : 'free')),
      keyValues: [{ op: 'set', key: 'seen', value: '500' }],
      checkpoint: { name: 'people', position: 7 },
    });
    // Read what was just committed: reads wait for the writes sent before them.
    expect(await store.documents.count('people', { field: 'plan', eq: 'pro' })).toBe(200);
    expect((await store.documents.search('people', { text: 'p499' })).total).toBe(1);
    expect(await store.loadCheckpoint('people')).toBe(7);
    await store.close();
    expect(existsSync(documentsFileOf(file))).toBe(true);
  });

  it('writes the documents file on the caller’s thread when asked, as a one-off rebuild does', async () => {
    const file = join(dir, 'inline.sqlite');
    const store = SqliteReadModelStore.open(file, { documentWriter: 'inline' });
    await store.documents.createCollection('people', MAPPING);
    await store.commit({ documents: [upsert('p1', 'pro'), upsert('p2', 'free')], keyValues: [] });
    expect(await store.documents.count('people', { field: 'plan', eq: 'free' })).toBe(1);
    await store.close();

    // The same files, opened by a server: its thread takes over the documents file.
    const served = SqliteReadModelStore.open(file);
    expect(await served.documents.get('people', 'p2')).toEqual({ name: 'Person p2', plan: 'free' });
    await served.close();
  });

  it('writes an inline commit’s documents before its transaction, without a journal entry', async () => {
    const file = join(dir, 'inline-first.sqlite');
    const store = SqliteReadModelStore.open(file, { documentWriter: 'inline' });
    await store.documents.createCollection('people', MAPPING);
    await store.commit({
      documents: Array.from({ length: 300 }, (_, n) => upsert(`p${n}`, n < 100 ? 'pro' : 'free')),
      keyValues: [{ op: 'set', key: 'plan:p0', value: 'pro' }],
      checkpoint: { name: 'people', position: 5 },
    });
    expect(await store.documents.count('people', { field: 'plan', eq: 'pro' })).toBe(100);
    expect(await store.loadCheckpoint('people')).toBe(5);

    // The transaction fails after the documents are in (a hash write on a plain value): they
    // stay, ahead of the checkpoint, as after a crash between the two.
    const batch = {
      documents: [upsert('p0', 'team'), upsert('p300', 'team')],
      keyValues: [
        { op: 'set' as const, key: 'seen', value: '301' },
        { op: 'hashSet' as const, key: 'plan:p0', fields: { plan: 'team' } },
      ],
      checkpoint: { name: 'people', position: 6 },
    };
    await expect(store.commit(batch)).rejects.toThrow();
    expect(await store.loadCheckpoint('people')).toBe(5);
    expect(await store.keyValues.get('seen')).toBeUndefined();
    expect(await store.documents.count('people', { field: 'plan', eq: 'team' })).toBe(2);

    // The batch handled again writes the same documents and commits.
    await store.commit({ ...batch, keyValues: batch.keyValues.slice(0, 1) });
    expect(await store.loadCheckpoint('people')).toBe(6);
    expect(await store.keyValues.get('seen')).toBe('301');
    expect(await store.documents.count('people')).toBe(301);
    expect(await store.documents.get('people', 'p0')).toEqual({ name: 'Person p0', plan: 'team' });
    await store.close();

    const left = new Database(file, { readonly: true });
    expect(left.prepare('SELECT count(*) FROM document_journal').pluck().get()).toBe(0);
    left.close();
  });

  it('starts the documents over when the read-model file beside them was removed', async () => {
    const file = join(dir, 'removed.sqlite');
    const store = SqliteReadModelStore.open(file);
    await store.documents.createCollection('people', MAPPING);
    await store.commit({ documents: [upsert('p1', 'pro')], keyValues: [] });
    await store.close();
    removeDatabaseFiles(file);

    const again = SqliteReadModelStore.open(file);
    expect(await again.documents.listCollections('')).toEqual([]);
    await again.documents.createCollection('people', MAPPING);
    expect(await again.documents.count('people')).toBe(0);
    await again.close();
  });

  it('refuses a commit with a malformed document or an unknown collection, storing nothing of it', async () => {
    const store = SqliteReadModelStore.open(join(dir, 'refused.sqlite'));
    await store.documents.createCollection('people', MAPPING);
    const commit = (documents: Parameters<typeof store.commit>[0]['documents']) =>
      store.commit({
        documents,
        keyValues: [{ op: 'set', key: 'moved', value: 'yes' }],
        checkpoint: { name: 'people', position: 9 },
      });
    await expect(commit([{ ...upsert('p1', 'pro'), collection: 'nobody' }])).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      commit([{ op: 'upsert', collection: 'people', id: '', document: {} }]),
    ).rejects.toMatchObject({ status: 400 });
    expect(await store.keyValues.get('moved')).toBeUndefined();
    expect(await store.loadCheckpoint('people')).toBeUndefined();
    expect(await store.documents.count('people')).toBe(0);
    await store.close();
  });

  it('writes after a crash the documents a commit had stored but the thread had not written', async () => {
    const file = join(dir, 'crashed.sqlite');
    expect(await runCrash(file, 5_000)).toBe(9);

    // What the killed process left: the commit is in, its documents only in the journal.
    const left = new Database(file, { readonly: true });
    const journalled = left.prepare('SELECT count(*) FROM document_journal').pluck().get();
    left.close();
    expect(journalled).toBe(1);
    const documents = new Database(documentsFileOf(file), { readonly: true });
    const applied = documents
      .prepare('SELECT count(*) FROM document_journal_applied')
      .pluck()
      .get();
    documents.close();
    expect(applied).toBe(0);

    const store = SqliteReadModelStore.open(file);
    expect(await store.loadCheckpoint('people')).toBe(42);
    expect(await store.keyValues.get('last')).toBe('5000');
    expect(await store.documents.count('people')).toBe(5_000);
    expect(await store.documents.count('people', { field: 'plan', eq: 'pro' })).toBe(2_500);
    expect((await store.documents.get('people', 'p4999'))?.name).toBe('Person 4999 of the crash');
    // The next commit forgets the entries the documents file now has.
    await store.commit({
      documents: [],
      keyValues: [],
      checkpoint: { name: 'people', position: 43 },
    });
    await store.close();
    const trimmed = new Database(file, { readonly: true });
    expect(trimmed.prepare('SELECT count(*) FROM document_journal').pluck().get()).toBe(0);
    trimmed.close();
  }, 60_000);

  it('keeps the documents of a file written before the thread in that file, written inline', async () => {
    const file = join(dir, 'earlier.sqlite');
    const earlier = SqliteDocumentStore.open(file);
    await earlier.createCollection('people', MAPPING);
    await earlier.write([upsert('p1', 'pro')]);
    await earlier.close();

    const store = SqliteReadModelStore.open(file);
    expect(store.documents).toBeInstanceOf(SqliteDocumentStore);
    expect(await store.documents.get('people', 'p1')).toEqual({ name: 'Person p1', plan: 'pro' });
    await store.commit({ documents: [upsert('p2', 'free')], keyValues: [] });
    expect(await store.documents.count('people')).toBe(2);
    await store.close();
    expect(existsSync(documentsFileOf(file))).toBe(false);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { DocumentWrite } from '@uspa/projections';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDocumentFileStore } from './sqlite-document-file-store.js';
import { startDocumentWriter } from './document-writer-thread.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-document-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Opens a threaded store whose writer threads the test can stop, as a crash would. */
function openWatched(name: string, onStart: (worker: Worker) => void = () => undefined) {
  const threads: Worker[] = [];
  const problems: string[] = [];
  const store = SqliteDocumentFileStore.open(join(dir, name), {
    onProblem: (problem) => problems.push(problem),
    startThread: (file) => {
      const worker = startDocumentWriter(file);
      threads.push(worker);
      onStart(worker);
      return worker;
    },
  });
  return { store, threads, problems };
}

function batch(from: number, size: number): DocumentWrite[] {
  return Array.from({ length: size }, (_, i) => ({
    op: 'upsert' as const,
    collection: 'profiles',
    id: `p${from + i}`,
    document: { plan: (from + i) % 2 === 0 ? 'pro' : 'free' },
  }));
}

describe('SqliteDocumentFileStore journal entries', () => {
  it('are applied once, even by two stores of the same file, and never an older over a newer', async () => {
    const file = join(dir, 'two-writers.db');
    const first = SqliteDocumentFileStore.open(file);
    const second = SqliteDocumentFileStore.open(file);
    await first.createCollection('profiles', { fields: { plan: 'keyword' } });
    const plan = (value: string): string =>
      JSON.stringify([
        { op: 'upsert', collection: 'profiles', id: 'ada', document: { plan: value } },
      ] satisfies DocumentWrite[]);
    await first.sendJournalled(1, plan('free'));
    await first.sendJournalled(2, plan('pro'));
    // The second store found entry 1 unapplied when it opened, and applies it late.
    await second.sendJournalled(1, plan('free'));
    expect((await second.get('profiles', 'ada'))?.plan).toBe('pro');
    await second.sendJournalled(3, plan('team'));
    expect((await first.get('profiles', 'ada'))?.plan).toBe('team');
    await first.close();
    await second.close();
  });
});

describe('SqliteDocumentFileStore writer thread', () => {
  it('restarts a writer thread that stops and applies what it had not answered', async () => {
    const { store, threads, problems } = openWatched('restart.db');
    await store.createCollection('profiles', { fields: { plan: 'keyword' } });
    const writes = Array.from({ length: 40 }, (_, i) => store.write(batch(i * 25, 25)));
    await writes[0];
    await threads[0]!.terminate();

    await Promise.all(writes);
    expect(threads).toHaveLength(2);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/document writer of .*restart\.db stopped .*restarted/);
    expect(await store.count('profiles')).toBe(1_000);
    expect(await store.count('profiles', { field: 'plan', eq: 'pro' })).toBe(500);
    await store.write(batch(1_000, 1));
    expect((await store.get('profiles', 'p1000'))?.plan).toBe('pro');
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
  });

  it('gives a thread that keeps stopping up, and says so to callers and readiness', async () => {
    const { store, threads, problems } = openWatched('crash-loop.db', (worker) => {
      worker.once('online', () => void worker.terminate());
    });
    const refused = store.createCollection('profiles', { fields: { plan: 'keyword' } });

    await expect(refused).rejects.toMatchObject({ code: 'store_unavailable' });
    await expect(refused).rejects.toThrow(/stopped 4 times within a minute/);
    expect(threads).toHaveLength(4);
    expect(problems).toHaveLength(3);
    await expect(store.ping()).rejects.toMatchObject({ code: 'store_unavailable', status: 503 });
    await expect(store.dropCollection('profiles')).rejects.toMatchObject({
      code: 'store_unavailable',
    });
    await store.close();
  });
});

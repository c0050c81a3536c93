import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventToAppend } from '../../ports/event-store.port.js';
import { SqliteEventStore, type SqliteEventStoreConfig } from './sqlite-event-store.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-checkpointer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COMMITS = 150;
const PER_COMMIT = 20;
const padding = 'x'.repeat(900);

function events(commit: number): EventToAppend[] {
  return Array.from({ length: PER_COMMIT }, (_, i) => ({
    type: 'Tracked',
    data: { event: 'Product Viewed', n: commit * PER_COMMIT + i, padding },
  }));
}

/** Appends one group commit after another, as steady ingestion does; answers the WAL's size. */
async function steadyStream(file: string, checkpoints: SqliteEventStoreConfig['checkpoints']) {
  const store = new SqliteEventStore({
    file,
    synchronous: 'NORMAL',
    pollIntervalMs: 50,
    checkpoints,
  });
  for (let commit = 0; commit < COMMITS; commit++) {
    await store.append(`anon-${commit % 7}`, events(commit));
  }
  const walBytes = statSync(`${file}-wal`).size;
  await store.close();
  return walBytes;
}

describe('embedded store checkpoints on a thread of their own', () => {
  it('starts the WAL over under a steady stream of commits', async () => {
    // 3,000 events of ~1 KB in 150 commits: a WAL never started over keeps every commit's pages
    // (about 17 MB here); SQLite's own checkpoint waits for 20,000 pages before it starts over.
    const onCommit = await steadyStream(join(dir, 'on-commit.db'), 'commit');
    const onThread = await steadyStream(join(dir, 'on-thread.db'), {
      resetFrames: 64,
      intervalMs: 10,
    });
    expect(onCommit).toBeGreaterThan(3_000_000);
    expect(onThread).toBeLessThan(onCommit / 3);
  });

  it('keeps every committed event, in order, across a restart', async () => {
    const file = join(dir, 'kept.db');
    await steadyStream(file, { resetFrames: 64, intervalMs: 10 });
    const reopened = new SqliteEventStore({ file, synchronous: 'NORMAL', pollIntervalMs: 50 });
    const all = await reopened.readAll({ maxCount: 10_000 });
    expect(all).toHaveLength(COMMITS * PER_COMMIT);
    expect(all.map((event) => (event.data as { n: number }).n)).toEqual(
      Array.from({ length: COMMITS * PER_COMMIT }, (_, n) => n),
    );
    await reopened.close();
  });
});

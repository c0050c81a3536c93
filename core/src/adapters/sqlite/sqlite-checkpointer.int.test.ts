import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventToAppend } from '../../ports/event-store.port.js';
import { eventually } from '../../testing/eventually.js';
import { SqliteEventStore, type SqliteEventStoreConfig } from './sqlite-event-store.js';
import { openReadModelDatabase } from './sqlite-read-model-database.js';
import { SqliteReadModelStore } from './sqlite-read-model-store.js';
import { WalCheckpointer } from './wal-checkpointer.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-checkpointer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COMMITS = 300;
const PER_COMMIT = 20;
const padding = 'x'.repeat(900);

function events(commit: number): EventToAppend[] {
  return Array.from({ length: PER_COMMIT }, (_, i) => ({
    type: 'Tracked',
    data: { event: 'Product Viewed', n: commit * PER_COMMIT + i, padding },
  }));
}

/**
 * Frames in the WAL since it last started over, as another connection sees it (its file never
 * shrinks, so its size would also count what came before the checkpointer's first pass). While
 * the checkpointer copies, SQLite answers busy (-1): ask again.
 */
async function walFrames(file: string): Promise<number> {
  const db = new Database(file, { fileMustExist: true });
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number }[];
      if (result!.busy === 0) return result!.log;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('the WAL stayed busy');
  } finally {
    db.close();
  }
}

/** Appends one group commit after another, as steady ingestion does; answers the WAL's frames. */
async function steadyStream(file: string, checkpoints: SqliteEventStoreConfig['checkpoints']) {
  const store = new SqliteEventStore({
    file,
    synchronous: 'NORMAL',
    pollIntervalMs: 50,
    checkpoints,
  });
  // Threads take a moment to start: the stream begins once the checkpointer has copied the
  // first commit into the database file, which only a checkpoint makes grow. Its size is taken
  // before that commit: the copy may follow it at once.
  const before = statSync(file).size;
  await store.append('anon-warm-up', events(0));
  if (checkpoints !== 'commit') {
    const copied = await eventually(
      () => Promise.resolve(statSync(file).size),
      (size) => size > before,
    );
    expect(copied, 'the checkpointer never copied the WAL').toBeGreaterThan(before);
  }
  for (let commit = 0; commit < COMMITS; commit++) {
    await store.append(`anon-${commit % 7}`, events(commit));
  }
  const frames = await walFrames(file);
  await store.close();
  return frames;
}

describe('embedded store checkpoints on a thread of their own', () => {
  // As for the read models below: when the other core is taken by other tests, the thread's
  // passes stretch and the restarts can miss a whole stream; the assertion stays, a run may be
  // repeated, on files of its own.
  it('starts the WAL over under a steady stream of commits', { retry: 2 }, async ({ task }) => {
    // 6,000 events of ~1 KB in 300 commits: a WAL never started over keeps every commit's pages
    // (some 8,000 frames here); SQLite's own checkpoint waits for 20,000 before it starts over.
    const attempt = task.result?.retryCount ?? 0;
    const onCommit = await steadyStream(join(dir, `on-commit-${attempt}.db`), 'commit');
    const onThread = await steadyStream(join(dir, `on-thread-${attempt}.db`), {
      resetFrames: 64,
      intervalMs: 10,
    });
    expect(onCommit).toBeGreaterThan(4_000);
    expect(onThread).toBeLessThan(onCommit / 4);
  });

  it('keeps every committed event, in order, across a restart', async () => {
    const file = join(dir, 'kept.db');
    await steadyStream(file, { resetFrames: 64, intervalMs: 10 });
    const reopened = new SqliteEventStore({ file, synchronous: 'NORMAL', pollIntervalMs: 50 });
    const all = (await reopened.readAll({ maxCount: 10_000 })).filter(
      (event) => event.streamId !== 'anon-warm-up',
    );
    expect(all).toHaveLength(COMMITS * PER_COMMIT);
    expect(all.map((event) => (event.data as { n: number }).n)).toEqual(
      Array.from({ length: COMMITS * PER_COMMIT }, (_, n) => n),
    );
    await reopened.close();
  });
});

describe('embedded read models checkpoint on a thread of their own', () => {
  // Profiles of ~9 KB: each commit is long enough that a checkpointer pass never ends between
  // two of them, so only the writing connection's own last copy lets the WAL start over.
  const profilePadding = 'x'.repeat(9_000);

  /** A projection's commits, one after another: 300 batches of 20 profiles. */
  async function projectionCommits(store: SqliteReadModelStore, file: string) {
    for (let batch = 0; batch < COMMITS; batch++) {
      await store.commit({
        documents: [],
        keyValues: Array.from({ length: PER_COMMIT }, (_, i) => ({
          op: 'set' as const,
          key: `profile:${batch}-${i}`,
          value: JSON.stringify({ batch, i, padding: profilePadding }),
        })),
        checkpoint: { name: 'profiles', position: batch },
      });
    }
    const frames = await walFrames(file);
    await store.close();
    return frames;
  }

  // The WAL starts over only when the writer's next transaction finds no pass of the thread
  // reading it. When the other core is taken by other tests, the thread's passes stretch and
  // the restarts can miss a whole stream; the assertion stays, a run may be repeated.
  it(
    'starts the WAL over while commits keep coming, with every write kept',
    { retry: 2 },
    async ({ task }) => {
      const attempt = task.result?.retryCount ?? 0;
      const onCommitFile = join(dir, `read-models-on-commit-${attempt}.sqlite`);
      const onCommit = await projectionCommits(
        new SqliteReadModelStore(openReadModelDatabase(onCommitFile)),
        onCommitFile,
      );
      const file = join(dir, `read-models-${attempt}.sqlite`);
      const db = openReadModelDatabase(file);
      const checkpointer = WalCheckpointer.start(file, { resetFrames: 64, intervalMs: 10 });
      await checkpointer.ready; // these commits take less time than a thread takes to start
      const onThread = await projectionCommits(new SqliteReadModelStore(db, checkpointer), file);
      expect(onCommit).toBeGreaterThan(10_000); // every commit's pages: SQLite waits for 20,000
      expect(onThread).toBeLessThan(onCommit / 4);

      const reopened = SqliteReadModelStore.open(file);
      expect(await reopened.loadCheckpoint('profiles')).toBe(COMMITS - 1);
      const last = await reopened.keyValues.get(`profile:${COMMITS - 1}-${PER_COMMIT - 1}`);
      expect(JSON.parse(last!)).toMatchObject({ batch: COMMITS - 1, i: PER_COMMIT - 1 });
      await reopened.close();
    },
  );
});

describe('a checkpointer in trouble', () => {
  it('tells why it stopped, and that SQLite checkpoints at commit instead', async () => {
    const problems: string[] = [];
    const file = join(dir, 'never-created.sqlite');
    const checkpointer = WalCheckpointer.start(file, { onProblem: (p) => problems.push(p) });
    await checkpointer.ready;
    await eventually(
      () => Promise.resolve(problems.length),
      (count) => count === 2,
    );
    expect(problems).toEqual([
      `WAL checkpointer of ${file} failed: SqliteError: unable to open database file`,
      `WAL checkpointer of ${file} stopped; SQLite checkpoints at commit instead`,
    ]);
    await checkpointer.close();
  });

  it('says nothing when its store closes', async () => {
    const problems: string[] = [];
    const store = new SqliteEventStore({
      file: join(dir, 'quiet.db'),
      synchronous: 'NORMAL',
      pollIntervalMs: 50,
      checkpoints: { intervalMs: 10, onProblem: (p) => problems.push(p) },
    });
    await store.append('anon-quiet', events(0));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(problems).toEqual([]);
  });
});

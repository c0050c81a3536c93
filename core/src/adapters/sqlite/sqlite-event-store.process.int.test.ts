import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { collectEvents } from '../../testing/collect-events.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const writerScript = fileURLToPath(new URL('./sqlite-writer.fixture.ts', import.meta.url));
let files = 0;
const aStore = (file = join(dir, `events-${files++}.db`)) =>
  new SqliteEventStore({ file, synchronous: 'FULL', pollIntervalMs: 20 });

/** Runs the writer in another process; resolves with how many appends it acknowledged. */
function runWriter(file: string, count: number, tag: string, killAfterAcks?: number) {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', writerScript, file, String(count), tag],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let acked = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      acked += chunk.split('\n').filter((line) => line.startsWith('acked')).length;
      if (killAfterAcks !== undefined && acked >= killAfterAcks) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', () => resolve(acked));
  });
}

describe('SqliteEventStore across processes', () => {
  it('delivers events written by other processes, in order, without gaps or duplicates', async () => {
    const file = join(dir, 'shared.db');
    const store = aStore(file);
    await store.append('here-0', [{ type: 'Written', data: { tag: 'here', n: -1 } }]);
    const total = 1 + 2 * 150 + 100;
    const received = collectEvents(store.subscribeToAll({ from: 'start' }), total, 60_000);
    const local = (async () => {
      for (let n = 0; n < 100; n++) {
        await store.append(`here-${n % 5}`, [{ type: 'Written', data: { tag: 'here', n } }]);
      }
    })();
    await Promise.all([runWriter(file, 150, 'a'), runWriter(file, 150, 'b'), local]);
    const events = await received;
    expect(events).toHaveLength(total);
    const positions = events.map((event) => event.position);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(new Set(events.map((event) => event.id)).size).toBe(total);
    for (const tag of ['a', 'b']) {
      const ns = events
        .map((event) => event.data as { tag: string; n: number })
        .filter((data) => data.tag === tag)
        .map((data) => data.n);
      expect(ns).toEqual(Array.from({ length: 150 }, (_, n) => n));
    }
    await store.close();
  }, 90_000);

  it('gives a filtered subscription the events another process writes between its own commits', async () => {
    // This process's commits of other streams are stepped over without reading; the other
    // process's events fall between them and must still be read.
    const file = join(dir, 'filtered.db');
    const store = aStore(file);
    await store.append('here-0', [{ type: 'Written', data: { tag: 'here', n: -1 } }]);
    const received = collectEvents(
      store.subscribeToAll({ from: 'start', filter: { streamPrefixes: ['f-'] } }),
      120,
      20_000,
    );
    let writing = true;
    const local = (async () => {
      for (let n = 0; writing; n++) {
        await store.append(`here-${n % 5}`, [{ type: 'Written', data: { tag: 'here', n } }]);
      }
    })();
    await runWriter(file, 120, 'f');
    const events = await received;
    writing = false;
    await local;
    expect(events.map((event) => (event.data as { n: number }).n)).toEqual(
      Array.from({ length: 120 }, (_, n) => n),
    );
    expect(new Set(events.map((event) => event.streamId))).toEqual(
      new Set(Array.from({ length: 7 }, (_, n) => `f-${n}`)),
    );
    const here = await store.readAll({ maxCount: 100_000, filter: { streamPrefixes: ['here-'] } });
    // The local writer really did commit around the other process's appends.
    expect(here.length).toBeGreaterThan(120);
    await store.close();
  }, 90_000);

  it('keeps every acknowledged append when the writer is killed', async () => {
    const file = join(dir, 'killed.db');
    const acked = await runWriter(file, 100_000, 'k', 200);
    expect(acked).toBeGreaterThanOrEqual(200);
    const store = aStore(file);
    const stored = await store.readAll({ maxCount: 200_000 });
    // Everything acknowledged is there; at most the append in flight may be extra.
    expect(stored.length).toBeGreaterThanOrEqual(acked);
    expect(stored.length).toBeLessThanOrEqual(acked + 1);
    expect(stored.map((e) => (e.data as { n: number }).n)).toEqual(
      Array.from({ length: stored.length }, (_, n) => n),
    );
    await store.close();
  }, 60_000);
});

describe('SqliteEventStore woken by another store of the same file', () => {
  it('reads a commit it is told of at once, not at its next poll', async () => {
    const file = join(dir, 'told.db');
    const writer = aStore(file);
    await writer.append('told-0', [{ type: 'Written', data: { n: 0 } }]);
    // A reader that would poll only every 20 s: it hears of the writer's commits instead.
    const reader = new SqliteEventStore({ file, synchronous: 'FULL', pollIntervalMs: 20_000 });
    const told: string[][] = [];
    const off = writer.onCommit((commit) => {
      told.push([...commit.streamIds]);
      reader.noticeCommit(commit);
    });
    const received = collectEvents(reader.subscribeToAll({ from: 'end' }), 2, 5_000);
    // Let the subscription read up to the end and wait before the appends come.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await writer.append('told-1', [{ type: 'Written', data: { n: 1 } }]);
    await writer.append('told-2', [{ type: 'Written', data: { n: 2 } }]);
    const events = await received;
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(events.map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(told).toEqual([['told-1'], ['told-2']]);
    off();
    await reader.close();
    await writer.close();
  });
});

describe('SqliteEventStore group commit', () => {
  it('commits many concurrent appends in one transaction, each resolving on its own', async () => {
    const store = aStore();
    await store.append('warm-up', [{ type: 'Started', data: {} }]);
    const before = store.groupCommitStats();
    const results = await Promise.allSettled(
      Array.from({ length: 64 }, (_, n) =>
        store.append(`visitor-${n}`, [{ type: 'Visited', data: { n } }], {
          // One writer in the group expects the wrong revision: only it must fail.
          expectedRevision: n === 13 ? 5 : 'no_stream',
        }),
      ),
    );
    const after = store.groupCommitStats();
    expect(after.commits - before.commits).toBe(1);
    expect(after.appends - before.appends).toBe(64);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(63);
    expect(results[13]).toMatchObject({
      status: 'rejected',
      reason: { code: 'wrong_expected_revision' },
    });
    expect((await store.readStream('visitor-13')).status).toBe('not_found');
    expect((await store.readStream('visitor-14')).events).toHaveLength(1);
    await store.close();
  });

  it('refuses appends after close and keeps those queued before it', async () => {
    const file = join(dir, 'closing.db');
    const store = aStore(file);
    const pending = store.append('late', [{ type: 'Queued', data: {} }]);
    await store.close();
    await expect(pending).resolves.toMatchObject({ nextExpectedRevision: 0 });
    await expect(store.append('late', [{ type: 'TooLate', data: {} }])).rejects.toMatchObject({
      code: 'store_closed',
    });
    const reopened = aStore(file);
    expect((await reopened.readStream('late')).events.map((e) => e.type)).toEqual(['Queued']);
    await reopened.close();
  });
});

describe('SqliteEventStore deletion', () => {
  it('removes a deleted stream’s payloads from the database file', async () => {
    const file = join(dir, 'erase.db');
    const store = aStore(file);
    const secret = 'jane.doe.4711@example.com';
    await store.append('user-jane', [{ type: 'Identified', data: { traits: { email: secret } } }]);
    await store.append('user-other', [
      { type: 'Identified', data: { traits: { email: 'x@y.z' } } },
    ]);
    await store.tombstoneStream('user-jane');
    // While the store is still open: the secret must be gone from every file of the store.
    const bytes = readdirSync(dir)
      .filter((name) => name.startsWith('erase.db'))
      .map((name) => readFileSync(join(dir, name)).toString('latin1'))
      .join('');
    expect(bytes).toContain('x@y.z');
    expect(bytes).not.toContain(secret);
    await store.close();
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteEventStore } from './sqlite-event-store.js';
import { startLogWriter } from './worker-log-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-log-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

/**
 * A file store whose writer threads the test can stop, as a crash would: `stop(worker, n)` runs
 * on the n-th thread started (from 1) and may end it.
 */
function openWatched(name: string, stop: (worker: Worker, n: number) => void) {
  const threads: Worker[] = [];
  const problems: string[] = [];
  const store = new SqliteEventStore({
    file: join(dir, name),
    synchronous: 'NORMAL',
    pollIntervalMs: 50,
    checkpoints: 'commit',
    onProblem: (problem) => problems.push(problem),
    startWriterThread: (workerData) => {
      const worker = startLogWriter(workerData);
      threads.push(worker);
      stop(worker, threads.length);
      return worker;
    },
  });
  return { store, threads, problems };
}

const viewed = (id: string) => ({ id, type: 'PageViewed', data: { path: `/pricing/${id}` } });

describe('SqliteEventStore writer thread', () => {
  it('fails the writes in flight when its writer thread stops, and takes them on a new one', async () => {
    let stopNextWrite = false;
    const { store, threads, problems } = openWatched('restart.db', (worker, n) => {
      if (n !== 1) return;
      // The first thread stops as it is handed a write, as if that write killed it. Stopping it
      // first keeps the write from being answered (and the test from depending on who is quicker).
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (message: unknown) => {
        if (stopNextWrite) void worker.terminate();
        post(message);
      };
    });
    await store.append('anon-a', [viewed(randomUUID())]);
    stopNextWrite = true;
    const lost = viewed(randomUUID());

    const inFlight = store.append('anon-b', [lost]);

    await expect(inFlight).rejects.toMatchObject({ code: 'store_unavailable', status: 503 });
    await expect(inFlight).rejects.toThrow(/retry it/);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/event log writer of .*restart\.db stopped .*next write starts it/);
    // The client retries: the write lands once, however far the lost attempt got.
    await store.append('anon-b', [lost]);
    await store.append('anon-b', [lost]);
    const { events } = await store.readStream('anon-b');
    expect(events.map((event) => event.id)).toEqual([lost.id]);
    expect(threads).toHaveLength(2);
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
  });

  it('refuses writes and readiness while its thread keeps stopping, and starts it after a minute', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { store, threads, problems } = openWatched('crash-loop.db', (worker, n) => {
      // Stopped at once, before it can take a write: as a thread that dies on opening the file.
      if (n <= 4) void worker.terminate();
    });
    for (let attempt = 1; attempt <= 4; attempt++) {
      await expect(store.append('anon-c', [viewed(randomUUID())])).rejects.toThrow(/stopped/);
    }

    const refused = store.append('anon-c', [viewed(randomUUID())]);

    await expect(refused).rejects.toMatchObject({ code: 'store_unavailable', status: 503 });
    await expect(refused).rejects.toThrow(/stopped 4 times within a minute/);
    expect(threads).toHaveLength(4);
    expect(problems.at(-1)).toMatch(/not started again for a minute/);
    await expect(store.ping()).rejects.toMatchObject({ code: 'store_unavailable', status: 503 });

    vi.setSystemTime(Date.now() + 61_000);
    const kept = viewed(randomUUID());
    await store.append('anon-c', [kept]);
    expect(threads).toHaveLength(5);
    expect((await store.readStream('anon-c')).events.map((event) => event.id)).toEqual([kept.id]);
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
  });
});

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { inject, injectable } from '../../composition/decorators.js';
import { UspaError } from '../../errors/index.js';
import type {
  AppendOptions,
  AppendResult,
  DeleteStreamOptions,
  EventStore,
  EventSubscription,
  EventToAppend,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamResult,
  RecordedEvent,
  SubscribeOptions,
} from '../../ports/event-store.port.js';
import { assertStreamId, serialiseEvents } from '../shared/serialised-event.js';
import { AppendSignal, type CommitSummary } from './append-signal.js';
import { InlineLogWriter, type LogWriter } from './log-writer.js';
import { WorkerLogWriter, type WalCheckpoints } from './worker-log-writer.js';
import {
  SqliteEventLog,
  type AppendRequest,
  type CommitPositions,
  type CommittedBatch,
} from './sqlite-event-log.js';
import { openEventLog, type SqliteSynchronous } from './sqlite-schema.js';
import { SqliteSubscription } from './sqlite-subscription.js';

export const SQLITE_EVENT_STORE_CONFIG = Symbol('SqliteEventStoreConfig');

export interface SqliteEventStoreConfig {
  /** Path of the database file; `:memory:` for a throw-away store. */
  file: string;
  synchronous: SqliteSynchronous;
  /** How often a caught-up subscription looks for appends made by other processes. */
  pollIntervalMs: number;
  /**
   * `worker` (default for files) commits on a writer thread, so syncs do not block the event
   * loop; `inline` commits on the caller's thread (always used for `:memory:`).
   */
  writer?: 'worker' | 'inline';
  /**
   * With the writer thread: `thread` (default) copies the WAL into the database file on a thread
   * of its own, so commits never wait for it; `commit` leaves it to SQLite at commit time.
   */
  checkpoints?: WalCheckpoints;
  /** Hears that the writer thread stopped (and is started again). */
  onProblem?: (problem: string) => void;
  /** Starts the writer thread; by default `sqlite-writer.worker.ts`. */
  startWriterThread?: (workerData: Record<string, unknown>) => Worker;
  /** Upper bound of events committed in one transaction. */
  maxEventsPerCommit?: number;
  subscriptionBatchSize?: number;
}

interface PendingAppend {
  request: AppendRequest;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The embedded event store: one SQLite file in WAL mode.
 *
 * Group commit: appends are queued and written together in one transaction at the next turn of the
 * event loop, so many concurrent requests share one sync of the WAL while each still succeeds or
 * fails on its own. A promise resolves only after its transaction has committed.
 */
@injectable()
export class SqliteEventStore implements EventStore {
  readonly #db: Database.Database;
  readonly #log: SqliteEventLog;
  readonly #appended = new AppendSignal();
  readonly #commitListeners = new Set<(commit: CommitSummary) => void>();
  readonly #subscriptions = new Set<SqliteSubscription>();
  #queue: PendingAppend[] = [];
  #flushScheduled = false;
  #closed = false;
  #commits = 0;
  #appends = 0;
  #writer: LogWriter | undefined;
  readonly #maxInFlight: number;
  readonly #writesInline: boolean;
  readonly #writes = new Set<Promise<void>>();

  constructor(@inject(SQLITE_EVENT_STORE_CONFIG) private readonly config: SqliteEventStoreConfig) {
    const inMemory = config.file === ':memory:';
    if (!inMemory) mkdirSync(dirname(config.file), { recursive: true });
    this.#db = new Database(config.file);
    openEventLog(this.#db, config.synchronous);
    this.#log = new SqliteEventLog(this.#db);
    this.#writesInline = inMemory || config.writer === 'inline';
    this.#maxInFlight = this.#writesInline ? 1 : 2;
  }

  // Async so that a validation error becomes a rejection; the queueing itself stays synchronous.
  async append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (this.#closed) throw new UspaError('store_closed', 503, 'Store is closed');
    const request: AppendRequest = {
      streamId,
      events: serialiseEvents(streamId, events),
      expectedRevision: options.expectedRevision ?? 'any',
    };
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /**
   * Group commit: whatever queues while earlier writes are in flight goes into the next
   * transaction together. Two writes may be in flight, so the writer thread always has the next
   * transaction at hand while this thread answers the last one; they commit in order.
   */
  #flush(): void {
    this.#flushScheduled = false;
    while (this.#writes.size < this.#maxInFlight && this.#queue.length > 0) {
      const batch = takeBatch(this.#queue, this.config.maxEventsPerCommit ?? 10_000);
      const write: Promise<void> = this.#commit(batch).finally(() => {
        this.#writes.delete(write);
        this.#flush();
      });
      this.#writes.add(write);
    }
  }

  /** Writes the batch, settles its appends, then wakes the subscriptions it concerns. */
  async #commit(batch: PendingAppend[]): Promise<void> {
    let committed: CommittedBatch | undefined;
    try {
      committed = await this.#writerThread().write(batch.map((pending) => pending.request));
      this.#commits += 1;
      this.#appends += batch.length;
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
    const results = committed?.results;
    if (results) {
      batch.forEach((pending, index) => {
        const result = results[index];
        if (result instanceof UspaError || result === undefined) pending.reject(result);
        else pending.resolve(result);
      });
    }
    const summary = summarise(batch, committed?.positions);
    this.#appended.notify(summary);
    for (const listener of this.#commitListeners) listener(summary);
  }

  /**
   * Hears what each commit of this store wrote, once its appends are answered: a reader of the
   * same file on another thread is woken with it ({@link noticeCommit}) instead of polling.
   */
  onCommit(listener: (commit: CommitSummary) => void): () => void {
    this.#commitListeners.add(listener);
    return () => this.#commitListeners.delete(listener);
  }

  /**
   * Wakes the subscriptions a commit made through another store of the same file concerns, as
   * if this store had made it: they read it now, not at their next poll.
   */
  noticeCommit(commit: CommitSummary): void {
    this.#appended.notify(commit);
  }

  /** Resolves once every append queued so far is committed. */
  async #drained(): Promise<void> {
    while (this.#writes.size > 0 || this.#queue.length > 0) {
      this.#flush();
      await Promise.all(this.#writes);
    }
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult> {
    return this.#run(() => {
      assertStreamId(streamId);
      return this.#log.readStream(streamId, options);
    });
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.#run(() => this.#log.readAll(options));
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const subscription = new SqliteSubscription(
      this.#log,
      this.#appended,
      {
        batchSize: this.config.subscriptionBatchSize ?? 1000,
        pollIntervalMs: this.config.pollIntervalMs,
      },
      options,
      (closed) => this.#subscriptions.delete(closed),
    );
    this.#subscriptions.add(subscription);
    return subscription;
  }

  deleteStream(streamId: string, options: DeleteStreamOptions = {}): Promise<void> {
    return this.#delete(streamId, options, false);
  }

  tombstoneStream(streamId: string, options: DeleteStreamOptions = {}): Promise<void> {
    return this.#delete(streamId, options, true);
  }

  // A delete must not overtake appends that were requested before it.
  async #delete(streamId: string, options: DeleteStreamOptions, tombstone: boolean) {
    if (this.#closed) throw new UspaError('store_closed', 503, 'Store is closed');
    assertStreamId(streamId);
    await this.#drained();
    await this.#writerThread().deleteStream(streamId, options.expectedRevision ?? 'any', tombstone);
  }

  /** Fails while the file cannot be read, or writes cannot be taken (see `WorkerLogWriter`). */
  ping(): Promise<void> {
    return this.#run(() => {
      this.#db.prepare('SELECT 1').get();
      this.#writer?.check();
    });
  }

  /** How many transactions carried how many append calls: the effect of group commit. */
  groupCommitStats(): { commits: number; appends: number } {
    return { commits: this.#commits, appends: this.#appends };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#drained();
    await this.#writer?.close();
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.close()));
    this.#db.close();
  }

  /** The writer starts with the first write: a process that only reads never starts one. */
  #writerThread(): LogWriter {
    this.#writer ??= this.#writesInline
      ? new InlineLogWriter(this.#log)
      : new WorkerLogWriter(this.config.file, this.config.synchronous, {
          checkpoints: this.config.checkpoints,
          onProblem: this.config.onProblem,
          startThread: this.config.startWriterThread,
        });
    return this.#writer;
  }

  async #run<T>(work: () => T): Promise<T> {
    if (this.#closed) throw new UspaError('store_closed', 503, 'Store is closed');
    return work();
  }
}

function summarise(
  batch: readonly PendingAppend[],
  positions: CommitPositions | undefined,
): CommitSummary {
  const streamIds = new Set<string>();
  const types = new Set<string>();
  for (const { request } of batch) {
    streamIds.add(request.streamId);
    for (const event of request.events) types.add(event.type);
  }
  return { streamIds: [...streamIds], types: [...types], positions };
}

function takeBatch(queue: PendingAppend[], maxEvents: number): PendingAppend[] {
  let events = 0;
  let count = 0;
  while (count < queue.length && (count === 0 || events < maxEvents)) {
    events += queue[count]!.request.events.length;
    count += 1;
  }
  return queue.splice(0, count);
}

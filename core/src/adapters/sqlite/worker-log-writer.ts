import type { Worker } from 'node:worker_threads';
import { UspaError } from '../../errors/index.js';
import type { AppendResult, ExpectedRevision } from '../../ports/event-store.port.js';
import type { LogWriter } from './log-writer.js';
import type { AppendRequest, CommitPositions, CommittedBatch } from './sqlite-event-log.js';
import type { SqliteSynchronous } from './sqlite-schema.js';
import { startSqliteWorker } from './sqlite-worker-thread.js';
import { MAX_RESTARTS, ThreadStops } from './thread-stops.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import type { WalCheckpointOptions } from './wal-checkpoints.js';
import { isTransferredError, restoreError, type TransferredError } from './store-error-transfer.js';

export type WriterRequest =
  | { id: number; kind: 'append'; requests: readonly AppendRequest[] }
  | { id: number; kind: 'delete'; streamId: string; expected: ExpectedRevision; tombstone: boolean }
  | { id: number; kind: 'close' };

export type WriterResponse =
  | { id: number; results: (AppendResult | TransferredError)[]; positions?: CommitPositions }
  | { id: number; error: TransferredError };

/**
 * Where WAL checkpoints run: on a thread of their own (with its options), or on the writer
 * thread at commit.
 */
export type WalCheckpoints = 'thread' | 'commit' | WalCheckpointOptions;

type Answer = Extract<WriterResponse, { results: unknown }>;

interface Pending {
  resolve: (answer: Answer) => void;
  reject: (error: unknown) => void;
}

export interface WorkerLogWriterOptions {
  /** Where WAL checkpoints run (default `thread`); see {@link WalCheckpoints}. */
  checkpoints?: WalCheckpoints;
  /** Hears that the writer thread stopped and is started again. */
  onProblem?: (problem: string) => void;
  /** Starts a writer thread with this data; by default `sqlite-writer.worker.ts`. */
  startThread?: (workerData: Record<string, unknown>) => Worker;
}

/**
 * Sends writes to the writer thread ({@link ./sqlite-writer.worker.ts}) and restores their
 * results.
 *
 * If the thread stops (out of memory, a fault in a native module), the writes in flight fail with
 * 503: whether their transaction committed is not known, and a retry is safe, since an event
 * whose id is stored already is skipped. The next write starts a new thread. A thread that keeps
 * stopping (more than {@link MAX_RESTARTS} restarts within a minute) is not started again until
 * the minute has passed: writes fail with 503 meanwhile, and so does {@link check}, which
 * readiness calls, so that the process is taken out of service rather than refusing every event.
 *
 * With `checkpoints: 'thread'` (the default), a checkpointer thread copies the WAL into the
 * database file beside the writer, so no commit waits for that copy (see `wal-checkpoints.ts`);
 * with `'commit'`, SQLite checkpoints on the writer thread at commit.
 */
export class WorkerLogWriter implements LogWriter {
  readonly #checkpointer: WalCheckpointer | undefined;
  readonly #workerData: Record<string, unknown>;
  readonly #pending = new Map<number, Pending>();
  readonly #stops = new ThreadStops();
  #worker: Worker | undefined;
  #lastStop = '';
  #nextId = 1;
  #closed = false;

  constructor(
    private readonly file: string,
    synchronous: SqliteSynchronous,
    private readonly options: WorkerLogWriterOptions = {},
  ) {
    const { checkpoints = 'thread' } = options;
    this.#checkpointer =
      checkpoints === 'commit'
        ? undefined
        : WalCheckpointer.start(file, checkpoints === 'thread' ? {} : checkpoints);
    this.#workerData = { file, synchronous, checkpoints: this.#checkpointer?.shared };
    this.#worker = this.#start();
  }

  async write(requests: readonly AppendRequest[]): Promise<CommittedBatch> {
    const { results, positions } = await this.#send({ kind: 'append', requests });
    return {
      results: results.map((result) =>
        isTransferredError(result) ? restoreError(result) : result,
      ),
      positions: positions!,
    };
  }

  async deleteStream(streamId: string, expected: ExpectedRevision, tombstone: boolean) {
    await this.#send({ kind: 'delete', streamId, expected, tombstone });
  }

  /** Throws 503 while the thread is not started again after stopping too often. */
  check(): void {
    if (this.#stops.tooMany()) throw this.#givenUpError();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#checkpointer?.close();
    const worker = this.#worker;
    if (worker) await this.#send({ kind: 'close' }).catch(() => undefined);
    this.#closed = true;
    await worker?.terminate();
  }

  #send(request: DistributiveOmit<WriterRequest, 'id'>) {
    if (this.#closed) return Promise.reject(new UspaError('store_closed', 503, 'Store is closed'));
    let worker = this.#worker;
    if (!worker) {
      if (this.#stops.tooMany()) return Promise.reject(this.#givenUpError());
      worker = this.#worker = this.#start();
    }
    const id = this.#nextId++;
    return new Promise<Answer>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  #start(): Worker {
    const worker = (this.options.startThread ?? startLogWriter)(this.#workerData);
    let failure: Error | undefined;
    worker.on('message', (response: WriterResponse) => this.#settle(response));
    worker.on('error', (error) => (failure = error));
    worker.on('exit', (code) => {
      if (this.#closed || worker !== this.#worker) return;
      this.#stopped(failure?.message ?? `exit code ${code}`);
    });
    return worker;
  }

  #settle(response: WriterResponse): void {
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    if ('error' in response) pending.reject(restoreError(response.error));
    else pending.resolve(response);
  }

  #stopped(reason: string): void {
    this.#worker = undefined;
    this.#lastStop = reason;
    this.#stops.record();
    const failure = new UspaError(
      'store_unavailable',
      503,
      `Event store writer stopped (${reason}); the write may not be stored, retry it`,
    );
    for (const pending of this.#pending.values()) pending.reject(failure);
    const inFlight = this.#pending.size;
    this.#pending.clear();
    this.options.onProblem?.(
      `event log writer of ${this.file} stopped (${reason}); ${inFlight} writes in flight ` +
        (this.#stops.tooMany()
          ? `failed, and it is not started again for a minute: it stopped ${MAX_RESTARTS + 1} times`
          : 'failed; the next write starts it again'),
    );
  }

  #givenUpError(): UspaError {
    return new UspaError(
      'store_unavailable',
      503,
      `Event store writer failed: ${this.#lastStop}; it stopped ${MAX_RESTARTS + 1} times ` +
        'within a minute and is not started again before that minute has passed',
    );
  }
}

/** The writer thread, as {@link WorkerLogWriter} starts it by default. */
export function startLogWriter(workerData: Record<string, unknown>): Worker {
  return startSqliteWorker('sqlite-writer', workerData);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

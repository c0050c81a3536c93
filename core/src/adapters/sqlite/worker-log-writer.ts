import type { Worker } from 'node:worker_threads';
import { UspaError } from '../../errors/index.js';
import type { AppendResult, ExpectedRevision } from '../../ports/event-store.port.js';
import type { LogWriter } from './log-writer.js';
import type { AppendRequest, CommitPositions, CommittedBatch } from './sqlite-event-log.js';
import type { SqliteSynchronous } from './sqlite-schema.js';
import { startSqliteWorker } from './sqlite-worker-thread.js';
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

/**
 * Sends writes to the writer thread ({@link ./sqlite-writer.worker.ts}) and restores their
 * results. If the thread dies, every write in flight fails with 503 and later ones too.
 *
 * With `checkpoints: 'thread'` (the default), a checkpointer thread copies the WAL into the
 * database file beside the writer, so no commit waits for that copy (see `wal-checkpoints.ts`);
 * with `'commit'`, SQLite checkpoints on the writer thread at commit.
 */
export class WorkerLogWriter implements LogWriter {
  readonly #worker: Worker;
  readonly #checkpointer: WalCheckpointer | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: UspaError | undefined;

  constructor(
    file: string,
    synchronous: SqliteSynchronous,
    checkpoints: WalCheckpoints = 'thread',
  ) {
    this.#checkpointer =
      checkpoints === 'commit'
        ? undefined
        : WalCheckpointer.start(file, checkpoints === 'thread' ? {} : checkpoints);
    const workerData = { file, synchronous, checkpoints: this.#checkpointer?.shared };
    this.#worker = startSqliteWorker('sqlite-writer', workerData);
    this.#worker.on('message', (response: WriterResponse) => this.#settle(response));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`writer thread exited with ${code}`)));
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

  async close(): Promise<void> {
    await this.#checkpointer?.close();
    if (this.#failure) return;
    await this.#send({ kind: 'close' });
    this.#failure = new UspaError('store_closed', 503, 'Store is closed');
    await this.#worker.terminate();
  }

  #send(request: DistributiveOmit<WriterRequest, 'id'>) {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<Answer>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #settle(response: WriterResponse): void {
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    if ('error' in response) pending.reject(restoreError(response.error));
    else pending.resolve(response);
  }

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = new UspaError(
      'store_unavailable',
      503,
      `Event store writer failed: ${error.message}`,
    );
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

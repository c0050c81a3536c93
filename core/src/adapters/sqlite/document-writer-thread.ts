import type { Worker } from 'node:worker_threads';
import type { DocumentWriterRequest, DocumentWriterResponse } from './document-file-writer.js';
import { startSqliteWorker } from './sqlite-worker-thread.js';
import { MAX_RESTARTS, ThreadStops } from './thread-stops.js';

export interface DocumentWriterThreadOptions {
  /** Hears each answer, in request order. */
  onAnswer: (response: DocumentWriterResponse) => void;
  /** Hears that the thread was given up; the requests not answered are not applied. */
  onGiveUp: (reason: Error) => void;
  /** Hears of each restart. */
  onProblem?: (problem: string) => void;
  /** Starts a writer thread on the file; by default `sqlite-document-writer.worker.ts`. */
  start?: (file: string) => Worker;
}

/**
 * The writer thread of a documents file, kept running. Requests are kept until answered; if
 * the thread stops (out of memory, a fault in a native module), a new one opens the file and
 * gets them all again, in order. Applying one twice is harmless: a write replaces or deletes
 * whole documents, and creating, dropping or aliasing a collection that already is so does
 * nothing. A thread that keeps stopping is given up after {@link MAX_RESTARTS} restarts within
 * a minute, since a request that kills it would otherwise kill it for ever.
 *
 * @example
 * const writer = new DocumentWriterThread(file, { onAnswer, onGiveUp, onProblem });
 * writer.post({ id: 1, kind: 'dropCollection', name: 'profiles_v1' });
 */
export class DocumentWriterThread {
  #worker: Worker;
  readonly #unanswered = new Map<number, DocumentWriterRequest>();
  readonly #stops = new ThreadStops();
  #stopped = false;

  constructor(
    private readonly file: string,
    private readonly options: DocumentWriterThreadOptions,
  ) {
    this.#worker = this.#start();
  }

  post(request: DocumentWriterRequest): void {
    this.#unanswered.set(request.id, request);
    this.#worker.postMessage(request);
  }

  /** Ends the thread for good. */
  async terminate(): Promise<void> {
    this.#stopped = true;
    await this.#worker.terminate();
  }

  #start(): Worker {
    const worker = (this.options.start ?? startDocumentWriter)(this.file);
    let failure: Error | undefined;
    worker.on('message', (response: DocumentWriterResponse) => {
      this.#unanswered.delete(response.id);
      this.options.onAnswer(response);
    });
    worker.on('error', (error) => (failure = error));
    worker.on('exit', (code) => {
      if (this.#stopped || worker !== this.#worker) return;
      this.#restart(failure?.message ?? `exit code ${code}`);
    });
    return worker;
  }

  #restart(reason: string): void {
    this.#stops.record();
    if (this.#stops.tooMany()) {
      this.#stopped = true;
      this.options.onGiveUp(
        new Error(`${reason}; it stopped ${MAX_RESTARTS + 1} times within a minute`),
      );
      return;
    }
    this.options.onProblem?.(
      `document writer of ${this.file} stopped (${reason}); restarted, ` +
        `${this.#unanswered.size} requests to apply again`,
    );
    this.#worker = this.#start();
    for (const request of this.#unanswered.values()) this.#worker.postMessage(request);
  }
}

/** The writer thread of `file`, as {@link DocumentWriterThread} starts it by default. */
export function startDocumentWriter(file: string): Worker {
  return startSqliteWorker('sqlite-document-writer', { file });
}

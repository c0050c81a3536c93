import type {
  EventFilter,
  EventSubscription,
  RecordedEvent,
  SubscribeOptions,
} from '../../ports/event-store.port.js';
import { skipQuiet, type AppendSignal } from './append-signal.js';
import type { SqliteEventLog } from './sqlite-event-log.js';

export interface SubscriptionSettings {
  batchSize: number;
  pollIntervalMs: number;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Catch-up then live: reads batches after the last position it scanned, and when it reaches the
 * head, waits for this process's next append or the poll interval (appends from other processes).
 *
 * A hand-written iterator rather than an async generator: catch-up reads hundreds of thousands of
 * events per second, and serving them from a buffer costs one resolved promise each.
 */
export class SqliteSubscription implements EventSubscription, AsyncIterator<RecordedEvent> {
  readonly #controller = new AbortController();
  readonly #filter: EventFilter | undefined;
  #after: number;
  #buffer: RecordedEvent[] = [];
  #index = 0;

  constructor(
    private readonly log: SqliteEventLog,
    private readonly appended: AppendSignal,
    private readonly settings: SubscriptionSettings,
    options: SubscribeOptions,
    private readonly onClose: (subscription: SqliteSubscription) => void,
  ) {
    const from = options.from ?? 'start';
    this.#after = from === 'start' ? 0 : from === 'end' ? log.head() : from;
    this.#filter = options.filter;
    if (options.signal?.aborted) void this.close();
    options.signal?.addEventListener('abort', () => void this.close(), { once: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this;
  }

  next(): Promise<IteratorResult<RecordedEvent>> {
    if (this.#controller.signal.aborted) return Promise.resolve(DONE);
    const value = this.#buffer[this.#index];
    if (value !== undefined) {
      this.#index += 1;
      return Promise.resolve({ done: false, value });
    }
    return this.#refill();
  }

  async #refill(): Promise<IteratorResult<RecordedEvent>> {
    // Nothing buffered: read on, waiting at the head for an append here or in another process.
    const events = await this.#read();
    const [first] = events;
    if (first === undefined) return DONE;
    this.#buffer = events;
    this.#index = 1;
    return { done: false, value: first };
  }

  /** Whatever is buffered (at most one read's worth), then each read as one batch. */
  async *batches(): AsyncGenerator<RecordedEvent[]> {
    try {
      const rest = this.#buffer.slice(this.#index);
      this.#buffer = [];
      this.#index = 0;
      if (rest.length > 0) yield rest;
      while (!this.#controller.signal.aborted) {
        const batch = await this.#read();
        if (batch.length > 0) yield batch;
      }
    } finally {
      await this.close();
    }
  }

  /** The next non-empty read, waiting at the head of the log; empty once closed. */
  async #read(): Promise<RecordedEvent[]> {
    const signal = this.#controller.signal;
    while (!signal.aborted) {
      const { events, scannedTo } = this.log.readAfter(
        this.#after,
        this.#filter,
        this.settings.batchSize,
      );
      this.#after = scannedTo;
      if (events.length > 0) return events;
      const quiet = await this.appended.wait(this.settings.pollIntervalMs, signal, this.#filter);
      // This process's commits of other streams or types need not be read again at the poll.
      this.#after = skipQuiet(this.#after, quiet);
    }
    return [];
  }

  return(): Promise<IteratorResult<RecordedEvent>> {
    void this.close();
    return Promise.resolve(DONE);
  }

  close(): Promise<void> {
    this.#controller.abort();
    this.#buffer = [];
    this.onClose(this);
    return Promise.resolve();
  }
}

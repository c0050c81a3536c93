import type {
  EventFilter,
  EventSubscription,
  RecordedEvent,
  SubscribeOptions,
} from '../../ports/event-store.port.js';
import type { AppendSignal } from './append-signal.js';
import type { SqliteEventLog } from './sqlite-event-log.js';

export interface SubscriptionSettings {
  batchSize: number;
  pollIntervalMs: number;
}

/**
 * Catch-up then live: reads batches after the last position it scanned, and when it reaches the
 * head, waits for this process's next append or the poll interval (appends from other processes).
 */
export class SqliteSubscription implements EventSubscription {
  readonly #controller = new AbortController();
  readonly #filter: EventFilter | undefined;
  #after: number;

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
    options.signal?.addEventListener('abort', () => void this.close(), { once: true });
    if (options.signal?.aborted) void this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    const signal = this.#controller.signal;
    try {
      while (!signal.aborted) {
        const { events, scannedTo } = this.log.readAfter(
          this.#after,
          this.#filter,
          this.settings.batchSize,
        );
        for (const event of events) {
          if (signal.aborted) return;
          this.#after = event.position;
          yield event;
        }
        this.#after = scannedTo;
        // A short batch means the scan reached the head of the log.
        if (events.length < this.settings.batchSize) {
          await this.appended.wait(this.settings.pollIntervalMs, signal);
        }
      }
    } finally {
      this.#controller.abort();
      this.onClose(this);
    }
  }

  close(): Promise<void> {
    this.#controller.abort();
    this.onClose(this);
    return Promise.resolve();
  }
}

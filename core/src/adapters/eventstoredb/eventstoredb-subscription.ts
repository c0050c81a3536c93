import { setTimeout as sleep } from 'node:timers/promises';
import type { AllStreamSubscription, EventStoreDBClient } from '@eventstore/db-client';
import { UspaError } from '../../errors/index.js';
import type {
  EventFilter,
  EventSubscription,
  RecordedEvent,
  SubscribeOptions,
} from '../../ports/event-store.port.js';
import { untilAborted } from './abortable-iteration.js';
import { resolveSubscriptionStart, type AllLog, type SubscriptionStart } from './all-log.js';
import { toReadPosition } from './eventstoredb-all-log.js';
import { isTransient, toStoreError } from './eventstoredb-errors.js';
import { matchesFilter, toServerFilter } from './eventstoredb-filters.js';
import { fromPosition, toRecordedEvent } from './eventstoredb-mapping.js';

/** Pauses before resubscribing after a dropped connection; the last one is the give-up point. */
const RETRY_DELAYS_MS = [100, 500, 1_000, 2_000, 5_000, 10_000];

/**
 * A catch-up subscription to `$all`: the server replays stored events, then pushes live ones, in
 * log order. It is filtered server-side (less traffic) and checked again here (exact semantics,
 * system events hidden). When the connection drops it resubscribes from the last record it
 * received, so no event is missed or repeated.
 */
export class EventStoreDbSubscription implements EventSubscription {
  readonly #controller = new AbortController();
  readonly #start: Promise<SubscriptionStart>;
  readonly #filter: EventFilter | undefined;
  #live: AllStreamSubscription | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    log: AllLog,
    options: SubscribeOptions,
    private readonly onClose: (subscription: EventStoreDbSubscription) => void,
  ) {
    this.#filter = options.filter;
    // Resolved now, not at the first next(): `end` means the end at the time of this call.
    this.#start = resolveSubscriptionStart(log, options.from ?? 'start');
    // A failure is reported by the iteration; until then it must not count as unhandled.
    this.#start.catch(() => undefined);
    const { signal } = options;
    if (signal?.aborted) void this.close();
    else signal?.addEventListener('abort', () => void this.close(), { once: true });
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    const signal = this.#controller.signal;
    try {
      const start = await Promise.race([this.#start, whenAborted(signal)]);
      if (!start) return;
      let { from, after } = start;
      for (let failures = 0; !signal.aborted;) {
        const live = this.client.subscribeToAll({
          fromPosition: toReadPosition(from),
          filter: toServerFilter(this.#filter),
          resolveLinkTos: false,
        });
        // Errors reach the loop through the iterator; this keeps a late one from going uncaught.
        live.on('error', () => undefined);
        this.#live = live;
        try {
          for await (const { event } of untilAborted(live, signal)) {
            if (!event) continue;
            const position = fromPosition(event.position);
            from = position;
            if (position <= after || !matchesFilter(this.#filter, event.streamId, event.type)) {
              continue;
            }
            after = position;
            failures = 0;
            yield toRecordedEvent(event);
          }
          if (signal.aborted) return;
          // A catch-up subscription has no end of its own: the server let go of it.
          throw new UspaError('subscription_dropped', 503, 'EventStoreDB ended the subscription');
        } catch (error) {
          if (signal.aborted) return;
          const delay = RETRY_DELAYS_MS[failures++];
          const retriable = isTransient(error) || isDropped(error);
          if (!retriable || delay === undefined) throw toStoreError(error);
          await sleep(delay, undefined, { signal }).catch(() => undefined);
        } finally {
          await release(live);
        }
      }
    } finally {
      this.#controller.abort();
      this.onClose(this);
    }
  }

  async close(): Promise<void> {
    this.#controller.abort();
    const live = this.#live;
    if (live) await release(live);
    this.onClose(this);
  }
}

function isDropped(error: unknown): boolean {
  return error instanceof UspaError && error.code === 'subscription_dropped';
}

/** Cancels the call on the server, then ends the local stream so a pending read settles. */
async function release(live: AllStreamSubscription): Promise<void> {
  await live.unsubscribe().catch(() => undefined);
  live.destroy();
}

function whenAborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
}
